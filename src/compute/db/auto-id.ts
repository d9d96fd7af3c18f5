import type { ColumnDefinitionBuilder } from 'kysely';
import type { DialectName } from '../../platform/db/database.js';

/** The column type of an auto-increment integer primary key on this dialect. */
export function autoIdType(dialect: DialectName): 'serial' | 'integer' {
  return dialect === 'postgres' ? 'serial' : 'integer';
}

/** Makes the column an auto-increment primary key on either dialect. */
export function autoId(
  dialect: DialectName,
): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
}
