import type { Kysely } from 'kysely';
import type { Clock } from '../../../common/clock.js';
import type { IdGenerator } from '../../../common/ids.js';
import { ConflictError, NotFoundError } from '../../../common/errors.js';
import type { Database } from '../../../platform/db/database.js';
import { isUniqueViolation } from '../../../platform/db/db-errors.js';
import { now } from '../../../platform/db/timestamps.js';
import { withTransaction } from '../../../platform/db/with-transaction.js';
import type { ApiDatabase } from '../../api-db-tables.js';

/** A host aggregate with its hosts and metadata. */
export interface Aggregate {
  id: number;
  uuid: string;
  name: string;
  hosts: string[];
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string | null;
}

/** Upstream's AggregateNotFound. */
export function aggregateNotFound(id: number | string): NotFoundError {
  return new NotFoundError(`Aggregate ${id} could not be found.`, {
    code: 'compute.aggregate_not_found',
  });
}

function nameExists(name: string): ConflictError {
  return new ConflictError(`Aggregate ${name} already exists.`, {
    code: 'compute.aggregate_exists',
  });
}

/** Host aggregates in the compute API database. */
export class AggregateStore {
  private readonly db: Kysely<ApiDatabase>;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {
    this.db = database.kysely as Kysely<ApiDatabase>;
  }

  /** Every aggregate, by id. */
  async list(): Promise<Aggregate[]> {
    const rows = await this.db.selectFrom('aggregates').selectAll().orderBy('id').execute();
    if (rows.length === 0) return [];
    const hosts = await this.db
      .selectFrom('aggregate_hosts')
      .select(['aggregate_id', 'host'])
      .orderBy('id')
      .execute();
    const meta = await this.db
      .selectFrom('aggregate_metadata')
      .select(['aggregate_id', 'key', 'value'])
      .orderBy('key')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      uuid: r.uuid,
      name: r.name,
      hosts: hosts.filter((h) => h.aggregate_id === r.id).map((h) => h.host),
      metadata: Object.fromEntries(
        meta.filter((m) => m.aggregate_id === r.id).map((m) => [m.key, m.value]),
      ),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  /** One aggregate; 404 when there is none. */
  async get(id: number): Promise<Aggregate> {
    const found = (await this.list()).find((a) => a.id === id);
    if (!found) throw aggregateNotFound(id);
    return found;
  }

  /** The aggregates a host is in. */
  async byHost(host: string): Promise<Aggregate[]> {
    return (await this.list()).filter((a) => a.hosts.includes(host));
  }

  /** Creates an aggregate, in an availability zone when one is named; a taken name is a 409. */
  async create(name: string, availabilityZone: string | null): Promise<Aggregate> {
    const ts = now(this.clock);
    const id = await withTransaction(this.database as Database<ApiDatabase>, async (trx) => {
      const existing = await trx
        .selectFrom('aggregates')
        .select('id')
        .where('name', '=', name)
        .executeTakeFirst();
      if (existing) throw nameExists(name);
      const row = await trx
        .insertInto('aggregates')
        .values({ uuid: this.ids.uuid(), name, created_at: ts, updated_at: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (availabilityZone) {
        await trx
          .insertInto('aggregate_metadata')
          .values({
            aggregate_id: row.id,
            key: 'availability_zone',
            value: availabilityZone,
            created_at: ts,
            updated_at: null,
          })
          .execute();
      }
      return row.id;
    }).catch((err: unknown) => {
      throw isUniqueViolation(err) ? nameExists(name) : err;
    });
    return this.get(id);
  }

  /** Renames an aggregate; a taken name is a 409. */
  async rename(id: number, name: string): Promise<void> {
    try {
      const r = await this.db
        .updateTable('aggregates')
        .set({ name, updated_at: now(this.clock) })
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw aggregateNotFound(id);
    } catch (err) {
      throw isUniqueViolation(err) ? nameExists(name) : err;
    }
  }

  /** Sets metadata items; a null value deletes the key (upstream's update_metadata). */
  async updateMetadata(id: number, changes: Record<string, string | null>): Promise<void> {
    const ts = now(this.clock);
    await withTransaction(this.database as Database<ApiDatabase>, async (trx) => {
      for (const [key, value] of Object.entries(changes)) {
        if (value === null) {
          await trx
            .deleteFrom('aggregate_metadata')
            .where('aggregate_id', '=', id)
            .where('key', '=', key)
            .execute();
        } else {
          await trx
            .insertInto('aggregate_metadata')
            .values({ aggregate_id: id, key, value, created_at: ts, updated_at: null })
            .onConflict((oc) =>
              oc.columns(['aggregate_id', 'key']).doUpdateSet({ value, updated_at: ts }),
            )
            .execute();
        }
      }
      await trx.updateTable('aggregates').set({ updated_at: ts }).where('id', '=', id).execute();
    });
  }

  /** Adds a host; 409 when the aggregate already has it. */
  async addHost(id: number, host: string): Promise<void> {
    try {
      await this.db
        .insertInto('aggregate_hosts')
        .values({ aggregate_id: id, host, created_at: now(this.clock), updated_at: null })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ConflictError(`Aggregate ${id} already has host ${host}.`, {
          code: 'compute.aggregate_host_exists',
        });
      }
      throw err;
    }
  }

  /** Removes a host; false when the aggregate did not have it. */
  async removeHost(id: number, host: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('aggregate_hosts')
      .where('aggregate_id', '=', id)
      .where('host', '=', host)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Deletes an aggregate with its metadata. */
  async delete(id: number): Promise<void> {
    await withTransaction(this.database as Database<ApiDatabase>, async (trx) => {
      await trx.deleteFrom('aggregate_metadata').where('aggregate_id', '=', id).execute();
      await trx.deleteFrom('aggregate_hosts').where('aggregate_id', '=', id).execute();
      const r = await trx.deleteFrom('aggregates').where('id', '=', id).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw aggregateNotFound(id);
    });
  }
}
