/**
 * A scriptable QMP server on a unix socket for unit tests: it greets like QEMU 7.2, answers
 * `qmp_capabilities`, and hands every other command to a handler that may reply, fail, stay
 * silent (a hung peer) or emit events.
 */
import net from 'node:net';

/** What the handler decides for one command. */
export type FakeQmpAnswer =
  | { return: unknown; delayMs?: number }
  | { error: { class: string; desc: string }; delayMs?: number }
  | 'hang'
  | 'close';

/** The handler's view of one connection. */
export interface FakeQmpConnection {
  /** Sends an event line, as QEMU does at any moment. */
  emit(event: string, data?: Record<string, unknown>): void;
  /** Writes raw bytes (to test framing). */
  writeRaw(text: string): void;
  /** Closes the connection from the server side. */
  close(): void;
}

/** Options of startFakeQmpServer. */
export interface FakeQmpServerOptions {
  /** Answers each command after negotiation; default replies `{return: {}}`. */
  handle?: (
    command: string,
    args: Record<string, unknown> | undefined,
    conn: FakeQmpConnection,
  ) => FakeQmpAnswer;
  /** Skip the greeting (a peer that accepts and says nothing). */
  silent?: boolean;
}

/** A running fake server. */
export interface FakeQmpServer {
  /** Every command received, in order, including `qmp_capabilities`. */
  received: string[];
  /** Current connections, newest last. */
  connections: FakeQmpConnection[];
  close(): Promise<void>;
}

/** Starts a fake QMP server listening on `path`. */
export async function startFakeQmpServer(
  path: string,
  opts: FakeQmpServerOptions = {},
): Promise<FakeQmpServer> {
  const received: string[] = [];
  const connections: FakeQmpConnection[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const conn: FakeQmpConnection = {
      emit: (event, data) => {
        const msg: Record<string, unknown> = {
          event,
          timestamp: { seconds: 1_700_000_000, microseconds: 250_000 },
        };
        if (data) msg.data = data;
        socket.write(`${JSON.stringify(msg)}\n`);
      },
      writeRaw: (text) => socket.write(text),
      close: () => socket.destroy(),
    };
    connections.push(conn);
    if (opts.silent) return;
    socket.write(
      `${JSON.stringify({
        QMP: {
          version: { qemu: { micro: 22, minor: 2, major: 7 }, package: 'fake' },
          capabilities: ['oob'],
        },
      })}\n`,
    );
    let negotiated = false;
    let buf = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const msg = JSON.parse(line) as {
          execute: string;
          arguments?: Record<string, unknown>;
          id?: unknown;
        };
        received.push(msg.execute);
        const reply = (body: Record<string, unknown>) =>
          socket.write(`${JSON.stringify({ ...body, id: msg.id })}\n`);
        if (msg.execute === 'qmp_capabilities' && !negotiated) {
          negotiated = true;
          reply({ return: {} });
          continue;
        }
        const answer = opts.handle?.(msg.execute, msg.arguments, conn) ?? { return: {} };
        if (answer === 'hang') continue;
        if (answer === 'close') {
          socket.destroy();
          return;
        }
        const { delayMs, ...body } = answer;
        if (delayMs) setTimeout(() => reply(body), delayMs);
        else reply(body);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return {
    received,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
