import { pino, type Logger } from 'pino';

/** What every log line of a process carries. */
export interface LoggerOptions {
  /** e.g. `stratus-all`, `stratus-compute`. */
  service: string;
  host: string;
  debug?: boolean;
  /** Append JSON lines to this file instead of standard output. */
  file?: string | undefined;
  /** Silences logging (tests). */
  silent?: boolean;
}

/** Makes the process logger: pino JSON lines with service and host on every line. */
export function createLogger(opts: LoggerOptions): Logger {
  const level = opts.silent ? 'silent' : opts.debug ? 'debug' : 'info';
  // Asynchronous writes: a line per API request written synchronously to a pipe blocked the
  // event loop whenever the reader fell behind. pino flushes what is buffered on exit.
  const destination = opts.file
    ? pino.destination({ dest: opts.file, mkdir: true, sync: false })
    : pino.destination({ dest: 1, sync: false });
  const options = {
    level,
    base: { service: opts.service, host: opts.host },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'req.headers["x-auth-token"]',
        'req.headers["x-subject-token"]',
        'req.headers.authorization',
      ],
      censor: '***',
    },
  };
  return pino(options, destination);
}

export type { Logger };
