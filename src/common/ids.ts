import { randomUUID } from 'node:crypto';

/** Generates identifiers; passed in rather than imported so tests can make ids predictable. */
export interface IdGenerator {
  /** A new random UUID (v4), dashed lower-case form. */
  uuid(): string;
}

/** The production id generator. */
export const randomIds: IdGenerator = { uuid: () => randomUUID() };

const REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A new OpenStack request id: `req-<uuid>`. */
export function newRequestId(ids: IdGenerator = randomIds): string {
  return `req-${ids.uuid()}`;
}

/** True when `value` has the shape of an OpenStack request id, so a caller's id can be kept. */
export function isRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID.test(value);
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** True when `value` is a UUID, with or without dashes, in any case (as oslo's is_uuid_like). */
export function isUuidLike(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
