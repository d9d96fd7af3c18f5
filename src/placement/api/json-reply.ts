import type { FastifyReply } from 'fastify';

const MARK = '\u0000pyfloat:';

/**
 * A number that must be written as a float (`1.0`, not `1`), as Python's json module writes
 * upstream's float columns (allocation_ratio); clients print what they receive.
 */
export class PyFloat {
  constructor(readonly value: number) {}

  /** The marker replaced by the bare number after stringification. */
  toJSON(): string {
    const v = this.value;
    const text = Number.isInteger(v) && Math.abs(v) < 1e16 ? `${v}.0` : String(v);
    return `${MARK}${text}`;
  }
}

/** JSON text of `body`, with PyFloat values written as float literals. */
export function toJsonText(body: unknown): string {
  const text = JSON.stringify(body);
  return text.includes('\\u0000pyfloat:') ? text.replace(/"\\u0000pyfloat:([^"]+)"/g, '$1') : text;
}

/** Sends `body` as application/json with `status`. */
export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type('application/json').send(toJsonText(body));
}

/** Sends an empty response (204, or 201 without a body) with no content type, as upstream. */
export function sendEmpty(reply: FastifyReply, status: number): FastifyReply {
  reply.removeHeader('content-type');
  return reply.code(status).send();
}
