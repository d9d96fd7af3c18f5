import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import { fromJsonColumn } from '../../platform/db/json-column.js';
import type { IdentityTables } from './tables.js';

/** The identity tables' Kysely handle. */
export type IdentityDb = Kysely<IdentityTables>;

/** Typed access to the identity tables of an opened database. */
export function identityDb(database: Database): IdentityDb {
  return database.kysely as IdentityDb;
}

/** Free-form attributes a resource carries besides its columns (keystone's `extra`). */
export type Extra = Record<string, unknown>;

/** Reads an `extra`/`options` JSON column as an object. */
export function readObject(text: string, column: string): Record<string, unknown> {
  const v = fromJsonColumn<unknown>(text, column);
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : {};
}
