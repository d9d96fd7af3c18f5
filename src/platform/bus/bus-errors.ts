import { NotImplementedError, ServiceUnavailableError, TimeoutError } from '../../common/errors.js';

/** The TimeoutError of a call whose reply did not come in time; the message names topic and method. */
export function callTimeoutError(
  topic: string,
  method: string,
  timeoutMs: number,
  why?: string,
): TimeoutError {
  const suffix = why ? ` (${why})` : '';
  return new TimeoutError(`bus call ${topic}.${method} timed out after ${timeoutMs} ms${suffix}`, {
    code: 'bus.timeout',
    details: { topic, method, timeout_ms: timeoutMs },
  });
}

/** Why a call timed out when no server of its topic ever took the request. */
export const NO_SERVER = 'no server is listening on the topic';

/** The error of a message that could not be handed to the broker before its deadline. */
export function notSentError(
  kind: string,
  topic: string,
  method: string,
  timeoutMs: number,
  reason?: string,
): ServiceUnavailableError {
  const why = reason ? `: ${reason}` : '';
  return new ServiceUnavailableError(
    `bus ${kind} ${topic}.${method} could not be sent within ${timeoutMs} ms${why}`,
    { code: 'bus.unavailable', details: { topic, method, timeout_ms: timeoutMs } },
  );
}

/** The error of calls still waiting when their bus is closed. */
export function busClosedError(topic: string, method: string): ServiceUnavailableError {
  return new ServiceUnavailableError(`bus closed while ${topic}.${method} was waiting`, {
    code: 'bus.closed',
    details: { topic, method },
  });
}

/** The error a server answers when the endpoint of `topic` has no method `method`. */
export function noSuchMethodError(topic: string, method: string): NotImplementedError {
  // oslo.messaging answers NoSuchMethod here; a stable code lets callers tell it from a 501.
  return new NotImplementedError(`topic ${topic} has no method ${method}`, {
    code: 'bus.no_such_method',
    details: { topic, method },
  });
}
