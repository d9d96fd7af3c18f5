import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
} from '../common/errors.js';

/**
 * Keystone's error messages, built in one place so that every route words them as upstream
 * (keystone/exception.py). They are ordinary StratusErrors; the identity API renders them as
 * `{"error": {"code", "message", "title"}}`.
 */

/** keystone ValidationError: a required attribute is missing or malformed (400). */
export function validationError(attribute: string, target: string): BadRequestError {
  return new BadRequestError(
    `Expecting to find ${attribute} in ${target}. The server could not comply with the request ` +
      'since it is either malformed or otherwise incorrect. The client is assumed to be in error.',
    { code: 'identity.validation' },
  );
}

/** keystone ValidationError with a free-form message (400). */
export function badRequest(message: string): BadRequestError {
  return new BadRequestError(message, { code: 'identity.validation' });
}

/** keystone NotFound subclasses: `Could not find <kind>: <id>.` (404). */
export function notFound(kind: string, id: string): NotFoundError {
  return new NotFoundError(`Could not find ${kind}: ${id}.`, { code: 'identity.not_found' });
}

/** keystone MarkerNotFound (404): a page marker that names no resource. */
export function markerNotFound(marker: string): NotFoundError {
  return new NotFoundError(`Marker ${marker} could not be found.`, { code: 'identity.not_found' });
}

/** keystone Conflict on a duplicate, worded as its SQL layer words it (409). */
export function duplicate(
  type: string,
  field: 'name' | 'ID' | null,
  value: string | null,
  domainId?: string | null,
): ConflictError {
  let details = 'Duplicate entry';
  if (field && value && domainId) {
    details = `Duplicate entry found with ${field} ${value} at domain ID ${domainId}`;
  } else if (field && value) {
    details = `Duplicate entry found with ${field} ${value}`;
  }
  return conflict(type, details);
}

/** keystone Conflict (409). */
export function conflict(type: string, details: string): ConflictError {
  return new ConflictError(`Conflict occurred attempting to store ${type} - ${details}.`, {
    code: 'identity.conflict',
  });
}

/** keystone ForbiddenAction (403). */
export function forbiddenAction(action: string): ForbiddenError {
  return new ForbiddenError(`You are not authorized to perform the requested action: ${action}.`, {
    code: 'identity.forbidden',
  });
}

/** keystone ForbiddenNotSecurity: a 403 whose message is safe to show as is. */
export function forbidden(message: string): ForbiddenError {
  return new ForbiddenError(message, { code: 'identity.forbidden' });
}

/**
 * keystone Unauthorized (401). Like keystone outside insecure_debug, the caller only ever sees
 * the generic message; the reason is kept for the log.
 */
export function unauthorized(reason?: string): UnauthorizedError {
  return new UnauthorizedError(undefined, {
    code: 'identity.unauthorized',
    ...(reason ? { details: { reason } } : {}),
  });
}

/** keystone UserDisabled (401), whose message names the user. */
export function userDisabled(userId: string): UnauthorizedError {
  return new UnauthorizedError(`The account is disabled for user: ${userId}.`, {
    code: 'identity.user_disabled',
  });
}

/** keystone AccountLocked (401): too many failed password attempts. */
export function accountLocked(userId: string): UnauthorizedError {
  return new UnauthorizedError(`The account is locked for user: ${userId}.`, {
    code: 'identity.account_locked',
  });
}

/**
 * keystone AuthPluginException subclasses (401), whose body also lists the methods the server
 * supports under `error.identity.methods`.
 */
export function authPluginError(message: string): UnauthorizedError {
  return new UnauthorizedError(message, {
    code: 'identity.auth_plugin',
    details: { identity: { methods: ['password', 'token', 'application_credential'] } },
  });
}
