/**
 * The one error hierarchy of Stratus. Every failure that crosses a boundary (HTTP, bus, CLI) is a
 * StratusError with a stable code, an HTTP status and a safe message. Each API renders these into
 * its upstream body format in one place (compute, identity and placement faults differ).
 */

/** Serialized form of a StratusError, as carried over the bus. */
export interface ErrorPayload {
  name: string;
  code: string;
  status: number;
  message: string;
  details?: Record<string, unknown>;
}

/** Base class of every expected error; unexpected ones are plain Errors and render as 500. */
export class StratusError extends Error {
  /** Stable machine-readable code, e.g. `placement.concurrent_update` or `bus.timeout`. */
  readonly code: string;
  /** HTTP status this error maps to. */
  readonly status: number;
  /** Extra structured data (never secrets). */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    message: string,
    opts: {
      code?: string;
      status?: number;
      details?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = opts.code ?? 'stratus.error';
    this.status = opts.status ?? 500;
    this.details = opts.details;
  }

  /** The form sent over the bus; `fromPayload` rebuilds the same class on the other side. */
  toPayload(): ErrorPayload {
    const p: ErrorPayload = {
      name: this.name,
      code: this.code,
      status: this.status,
      message: this.message,
    };
    if (this.details) p.details = this.details;
    return p;
  }
}

type ErrorOpts = { code?: string; details?: Record<string, unknown>; cause?: unknown };

/** 400: the request is malformed or fails validation. */
export class BadRequestError extends StratusError {
  constructor(message: string, opts: ErrorOpts = {}) {
    super(message, { code: 'bad_request', ...opts, status: 400 });
  }
}

/** 401: no valid credentials. */
export class UnauthorizedError extends StratusError {
  constructor(
    message = 'The request you have made requires authentication.',
    opts: ErrorOpts = {},
  ) {
    super(message, { code: 'unauthorized', ...opts, status: 401 });
  }
}

/** 403: authenticated but not allowed. */
export class ForbiddenError extends StratusError {
  constructor(message: string, opts: ErrorOpts = {}) {
    super(message, { code: 'forbidden', ...opts, status: 403 });
  }
}

/** 404: the resource does not exist or is not visible to the caller. */
export class NotFoundError extends StratusError {
  constructor(message: string, opts: ErrorOpts = {}) {
    super(message, { code: 'not_found', ...opts, status: 404 });
  }
}

/** 405: the method is not allowed on this resource. */
export class MethodNotAllowedError extends StratusError {
  constructor(message: string, opts: ErrorOpts = {}) {
    super(message, { code: 'method_not_allowed', ...opts, status: 405 });
  }
}

/** 406: e.g. an unsupported microversion. */
export class NotAcceptableError extends StratusError {
  constructor(message: string, opts: ErrorOpts = {}) {
    super(message, { code: 'not_acceptable', ...opts, status: 406 });
  }
}

/** 409: conflicting state, such as a stale generation or a duplicate name. */
export class ConflictError extends StratusError {
  constructor(message: string, opts: ErrorOpts = {}) {
    super(message, { code: 'conflict', ...opts, status: 409 });
  }
}

/** 413: a quota or a body size limit was exceeded. */
export class OverLimitError extends StratusError {
  constructor(message: string, opts: ErrorOpts = {}) {
    super(message, { code: 'over_limit', ...opts, status: 413 });
  }
}

/** 415: unsupported request content type. */
export class UnsupportedMediaTypeError extends StratusError {
  constructor(message: string, opts: ErrorOpts = {}) {
    super(message, { code: 'unsupported_media_type', ...opts, status: 415 });
  }
}

/** 501: the operation exists upstream but is not implemented here. */
export class NotImplementedError extends StratusError {
  constructor(message: string, opts: ErrorOpts = {}) {
    super(message, { code: 'not_implemented', ...opts, status: 501 });
  }
}

/** 503: a dependency (bus, database, peer service) is unavailable. */
export class ServiceUnavailableError extends StratusError {
  constructor(message: string, opts: ErrorOpts = {}) {
    super(message, { code: 'service_unavailable', ...opts, status: 503 });
  }
}

/** 504 / bus: an operation missed its deadline. */
export class TimeoutError extends StratusError {
  constructor(message: string, opts: ErrorOpts = {}) {
    super(message, { code: 'timeout', ...opts, status: 504 });
  }
}

/** A configuration file or option is invalid; the message names file, line and key. */
export class ConfigError extends StratusError {
  constructor(message: string, opts: ErrorOpts = {}) {
    super(message, { code: 'config.invalid', ...opts, status: 500 });
  }
}

const registry = new Map<string, new (message: string, opts?: ErrorOpts) => StratusError>();

/**
 * Registers an error class so that errors of that class crossing the bus arrive as the same class.
 * Every class above is registered; services register their own catalogue at import time.
 */
export function registerErrorClass(
  cls: new (message: string, opts?: ErrorOpts) => StratusError,
): void {
  registry.set(cls.name, cls);
}

for (const cls of [
  BadRequestError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  MethodNotAllowedError,
  NotAcceptableError,
  ConflictError,
  OverLimitError,
  UnsupportedMediaTypeError,
  NotImplementedError,
  ServiceUnavailableError,
  TimeoutError,
  ConfigError,
]) {
  registerErrorClass(cls);
}

/** Rebuilds a typed error from its bus payload; unknown classes become a StratusError. */
export function errorFromPayload(p: ErrorPayload): StratusError {
  const cls = registry.get(p.name);
  const opts = { code: p.code, ...(p.details ? { details: p.details } : {}) };
  if (cls) return new cls(p.message, opts);
  const e = new StratusError(p.message, { ...opts, status: p.status });
  return e;
}

/** Serializes any thrown value for the bus, hiding internals of unexpected errors. */
export function errorToPayload(err: unknown): ErrorPayload {
  if (err instanceof StratusError) return err.toPayload();
  return {
    name: 'StratusError',
    code: 'internal',
    status: 500,
    message: 'An unexpected error occurred on the remote service.',
  };
}
