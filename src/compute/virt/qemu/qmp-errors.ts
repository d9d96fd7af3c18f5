/**
 * Errors of the QMP client. A QMP `{"error":{"class","desc"}}` reply becomes a QmpError carrying
 * the QMP class; a missed deadline is the common TimeoutError (its message names the command).
 */
import { StratusError } from '../../../common/errors.js';

/** QEMU answered a command with an error; `qmpClass` is QMP's class, e.g. `CommandNotFound`. */
export class QmpError extends StratusError {
  /** The QMP error class (`GenericError`, `CommandNotFound`, `DeviceNotActive`, ...). */
  readonly qmpClass: string;
  /** The command that failed. */
  readonly command: string;

  constructor(command: string, qmpClass: string, desc: string) {
    super(`QMP command '${command}' failed: ${qmpClass}: ${desc}`, {
      code: 'qmp.error',
      details: { command, qmp_class: qmpClass, desc },
    });
    this.qmpClass = qmpClass;
    this.command = command;
  }
}

/** The QMP connection closed (or was never open) while a command was pending or being sent. */
export class QmpClosedError extends StratusError {
  constructor(command: string, cause?: unknown) {
    super(`QMP connection closed before '${command}' got a reply`, {
      code: 'qmp.closed',
      status: 503,
      details: { command },
      cause,
    });
  }
}

/** The peer broke the protocol: no or bad greeting, or a line that is not a JSON object. */
export class QmpProtocolError extends StratusError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, { code: 'qmp.protocol', ...opts });
  }
}
