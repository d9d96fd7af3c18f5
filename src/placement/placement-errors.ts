import { StratusError } from '../common/errors.js';

/** The `code` values of placement's error bodies (microversion 1.23+), as upstream's errors.py. */
export const ErrorCode = {
  UNDEFINED: 'placement.undefined_code',
  INVENTORY_INUSE: 'placement.inventory.inuse',
  CONCURRENT_UPDATE: 'placement.concurrent_update',
  DUPLICATE_NAME: 'placement.duplicate_name',
  PROVIDER_IN_USE: 'placement.resource_provider.inuse',
  PROVIDER_CANNOT_DELETE_PARENT: 'placement.resource_provider.cannot_delete_parent',
  RESOURCE_PROVIDER_NOT_FOUND: 'placement.resource_provider.not_found',
  ILLEGAL_DUPLICATE_QUERYPARAM: 'placement.query.duplicate_key',
  QUERYPARAM_BAD_VALUE: 'placement.query.bad_value',
  QUERYPARAM_MISSING_VALUE: 'placement.query.missing_value',
} as const;

/** One of the placement error codes. */
export type PlacementErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * An error of the placement API: an HTTP status, the `detail` text upstream puts in its error
 * body, an error code, and optional response headers (e.g. `Allow` on a 405). The API renders it
 * in one place (api/render-error.ts) as `{"errors": [{status, title, detail, code, request_id}]}`.
 */
export class PlacementError extends StratusError {
  /** Extra response headers. */
  readonly headers: Record<string, string> | undefined;

  constructor(
    status: number,
    detail: string,
    opts: { code?: PlacementErrorCode; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail, {
      status,
      code: opts.code ?? ErrorCode.UNDEFINED,
      ...(opts.cause === undefined ? {} : { cause: opts.cause }),
    });
    this.headers = opts.headers;
  }
}

/** 400 with upstream's detail text. */
export function badRequest(detail: string, code?: PlacementErrorCode): PlacementError {
  return new PlacementError(400, detail, code ? { code } : {});
}

/** 404 with upstream's detail text (empty: only the generic explanation). */
export function notFound(detail = ''): PlacementError {
  return new PlacementError(404, detail);
}

/** 409 with upstream's detail text. */
export function conflict(detail: string, code?: PlacementErrorCode): PlacementError {
  return new PlacementError(409, detail, code ? { code } : {});
}

/**
 * Raised inside the store when a resource provider or consumer changed under a write (its
 * generation moved); the service layer retries or maps it to a 409 concurrent_update.
 */
export class ConcurrentUpdateError extends Error {
  constructor(message = 'Another thread concurrently updated the data. Please retry your update') {
    super(message);
    this.name = 'ConcurrentUpdateError';
  }
}
