/**
 * The JSON bodies that cross the bus. Both implementations encode every message to a string
 * and decode it on the other side, so in-process and RabbitMQ deliveries behave alike.
 */
import { errorToPayload, type ErrorPayload } from '../../common/errors.js';

/** The body of an RPC request (call, cast or fanout). */
export interface RpcRequest {
  method: string;
  args?: unknown;
  requestId?: string;
  context?: Record<string, unknown>;
  /** Absolute ms since epoch after which the caller stops waiting (calls only). */
  deadline?: number;
}

/** The body of an RPC reply: the handler's result or its error as a payload. */
export type RpcReply = { ok: true; result?: unknown } | { ok: false; error: ErrorPayload };

/** Serializes a value to JSON text; throws on values JSON cannot carry (BigInt, cycles). */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

/** Encodes a reply, turning an unserializable result into an internal error instead of throwing. */
export function encodeReply(reply: RpcReply): string {
  try {
    return encodeJson(reply);
  } catch (err) {
    return encodeJson({ ok: false, error: errorToPayload(err) } satisfies RpcReply);
  }
}

/** Parses a request body; returns undefined for anything that is not a well-formed request. */
export function decodeRequest(text: string): RpcRequest | undefined {
  const v = parseObject(text);
  if (!v || typeof v.method !== 'string') return undefined;
  return v as unknown as RpcRequest;
}

/** Parses a reply body; malformed replies become an internal error so the caller is not left hanging. */
export function decodeReply(text: string): RpcReply {
  const v = parseObject(text);
  if (v && v.ok === true) return v as unknown as RpcReply;
  if (v && v.ok === false && typeof v.error === 'object' && v.error !== null) {
    return v as unknown as RpcReply;
  }
  return { ok: false, error: errorToPayload(new Error('malformed reply')) };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
