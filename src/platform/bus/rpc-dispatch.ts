import type { Logger } from 'pino';
import { errorToPayload, StratusError } from '../../common/errors.js';
import type { CallContext, RpcEndpoint } from './bus.js';
import { noSuchMethodError } from './bus-errors.js';
import type { RpcReply, RpcRequest } from './envelope.js';

/**
 * Runs the endpoint's method for one request and returns the reply to send back. Never throws:
 * a missing method or a handler's failure becomes an error reply.
 */
export async function dispatchRpc(
  endpoint: RpcEndpoint,
  topic: string,
  req: RpcRequest,
  logger?: Logger,
): Promise<RpcReply> {
  const handler = lookupMethod(endpoint, req.method);
  if (!handler) return { ok: false, error: noSuchMethodError(topic, req.method).toPayload() };
  const ctx: CallContext = {};
  if (req.requestId !== undefined) ctx.requestId = req.requestId;
  if (req.deadline !== undefined) ctx.deadline = req.deadline;
  if (req.context !== undefined) ctx.context = req.context;
  try {
    const result = await handler.call(endpoint, req.args, ctx);
    return { ok: true, result };
  } catch (err) {
    // Expected errors travel typed; anything else is a bug on this side, so keep its stack here.
    if (!(err instanceof StratusError)) {
      logger?.error(
        { err, topic, method: req.method, requestId: req.requestId },
        'rpc handler failed',
      );
    }
    return { ok: false, error: errorToPayload(err) };
  }
}

function lookupMethod(endpoint: RpcEndpoint, method: string) {
  // Endpoints may be class instances, so prototype methods count, but Object's own members
  // (constructor, toString, __proto__...) and private-by-convention names must not be callable.
  if (method.startsWith('_') || method in Object.prototype) return undefined;
  const fn: unknown = (endpoint as Record<string, unknown>)[method];
  return typeof fn === 'function' ? (fn as RpcEndpoint[string]) : undefined;
}
