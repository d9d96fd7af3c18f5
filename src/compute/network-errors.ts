import {
  BadRequestError,
  NotFoundError,
  StratusError,
  registerErrorClass,
} from '../common/errors.js';

/** Nova's NoMoreFixedIps: the pool is exhausted; a build fails without a reschedule. */
export class NoMoreFixedIpsError extends StratusError {
  constructor(message: string, opts: { code?: string; details?: Record<string, unknown> } = {}) {
    super(message, { code: 'network.no_more_fixed_ips', ...opts, status: 409 });
  }
}
registerErrorClass(NoMoreFixedIpsError);

/** Nova's FixedIpAlreadyInUse (a 400 at the API). */
export class FixedIpAlreadyInUseError extends BadRequestError {
  constructor(message: string, opts: { code?: string; details?: Record<string, unknown> } = {}) {
    super(message, { code: 'network.fixed_ip_already_in_use', ...opts });
  }
}
registerErrorClass(FixedIpAlreadyInUseError);

/** Nova's NetworkNotFound (a 400 at the API's create, a 404 elsewhere). */
export class NetworkNotFoundError extends NotFoundError {
  constructor(message: string, opts: { code?: string; details?: Record<string, unknown> } = {}) {
    super(message, { code: 'network.network_not_found', ...opts });
  }
}
registerErrorClass(NetworkNotFoundError);

/** The message of Nova's FixedIpAlreadyInUse. */
export function fixedIpInUseMessage(address: string, instanceUuid: string): string {
  return `Fixed IP address ${address} is already in use on instance ${instanceUuid}.`;
}
