import type { Generated, Kysely, Selectable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import type { IdGenerator } from '../../common/ids.js';
import type { Database, MigrationSet } from '../db/database.js';
import { fromDbBoolean, toDbBoolean, type DbBoolean } from '../db/booleans.js';
import { fromDbTimestamp, now } from '../db/timestamps.js';
import { queryTemplates } from '../db/query-templates.js';
import { versionedReads } from '../db/versioned-reads.js';

/** The `services` table: every running Stratus service process, as Nova's services table. */
export interface ServicesTable {
  id: Generated<number>;
  uuid: string;
  host: string;
  binary: string;
  topic: string | null;
  report_count: number;
  disabled: DbBoolean;
  disabled_reason: string | null;
  forced_down: DbBoolean;
  last_seen_up: string | null;
  created_at: string;
  updated_at: string | null;
}

/** A service record with its liveness worked out. */
export interface ServiceRecord {
  id: number;
  uuid: string;
  host: string;
  binary: string;
  topic: string | null;
  reportCount: number;
  disabled: boolean;
  disabledReason: string | null;
  forcedDown: boolean;
  lastSeenUp: Date | null;
  createdAt: Date;
  updatedAt: Date | null;
  /** Heartbeat seen within service_down_time and not forced down. */
  up: boolean;
}

/** The migrations of the services table. */
export const serviceRegistryMigrations: MigrationSet = {
  service: 'services',
  migrations: [
    {
      name: '0001_services',
      async up(db, dialect) {
        await db.schema
          .createTable('services')
          .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
            dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('uuid', 'varchar(36)', (c) => c.notNull().unique())
          .addColumn('host', 'varchar(255)', (c) => c.notNull())
          .addColumn('binary', 'varchar(255)', (c) => c.notNull())
          .addColumn('topic', 'varchar(255)')
          .addColumn('report_count', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('disabled_reason', 'varchar(255)')
          .addColumn('forced_down', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('last_seen_up', 'varchar(32)')
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('updated_at', 'varchar(32)')
          .addUniqueConstraint('uniq_services_host_binary', ['host', 'binary'])
          .execute();
      },
    },
  ],
};

/** What a heartbeat says. */
export interface Heartbeat {
  host: string;
  binary: string;
  topic: string | null;
}

/**
 * Records service heartbeats and answers which services are up. Heartbeats arrive through the
 * bus (topic `service_registry`), so a service whose bus is broken shows as down.
 */
export class ServiceRegistry {
  private readonly db: Kysely<{ services: ServicesTable }>;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly serviceDownTimeSec: number,
  ) {
    this.db = database.kysely as Kysely<{ services: ServicesTable }>;
  }

  /** Creates the service's row on its first heartbeat, then counts and timestamps each one. */
  async report(hb: Heartbeat): Promise<ServiceRecord> {
    const ts = now(this.clock);
    const updated = await this.db
      .updateTable('services')
      .set((eb) => ({
        report_count: eb('report_count', '+', 1),
        last_seen_up: ts,
        updated_at: ts,
        topic: hb.topic,
      }))
      .where('host', '=', hb.host)
      .where('binary', '=', hb.binary)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      await this.db
        .insertInto('services')
        .values({
          uuid: this.ids.uuid(),
          host: hb.host,
          binary: hb.binary,
          topic: hb.topic,
          report_count: 1,
          disabled: toDbBoolean(false),
          disabled_reason: null,
          forced_down: toDbBoolean(false),
          last_seen_up: ts,
          created_at: ts,
          updated_at: null,
        })
        .onConflict((oc) =>
          oc.columns(['host', 'binary']).doUpdateSet({ last_seen_up: ts, updated_at: ts }),
        )
        .execute();
    }
    const row = await this.db
      .selectFrom('services')
      .selectAll()
      .where('host', '=', hb.host)
      .where('binary', '=', hb.binary)
      .executeTakeFirstOrThrow();
    return this.toRecord(row);
  }

  /** Lists services, optionally of one binary or host. */
  async list(filter: { binary?: string; host?: string } = {}): Promise<ServiceRecord[]> {
    let q = this.db.selectFrom('services').selectAll().orderBy('id');
    if (filter.binary) q = q.where('binary', '=', filter.binary);
    if (filter.host) q = q.where('host', '=', filter.host);
    return (await q.execute()).map((r) => this.toRecord(r));
  }

  /**
   * The administrative and liveness state of each host running `binary`: what server bodies
   * show as host_status, read on every listing, so only the columns it needs.
   */
  async hostStates(
    binary: string,
  ): Promise<Map<string, { disabled: boolean; forcedDown: boolean; up: boolean }>> {
    // Read on every server listing and show: kept while nothing is written, and built once.
    const rows = await versionedReads(this.database).read(`services.hostStates:${binary}`, () =>
      queryTemplates(this.db).execute(
        'services.hostStates',
        (slot) =>
          this.db
            .selectFrom('services')
            .select(['host', 'disabled', 'forced_down', 'last_seen_up'])
            .where('binary', '=', slot('binary')),
        { binary },
      ),
    );
    const now = this.clock.now();
    const out = new Map<string, { disabled: boolean; forcedDown: boolean; up: boolean }>();
    for (const r of rows) {
      const forcedDown = fromDbBoolean(r.forced_down);
      const seen = r.last_seen_up ? fromDbTimestamp(r.last_seen_up).getTime() : null;
      const fresh = seen !== null && now - seen <= this.serviceDownTimeSec * 1000;
      out.set(r.host, {
        disabled: fromDbBoolean(r.disabled),
        forcedDown,
        up: fresh && !forcedDown,
      });
    }
    return out;
  }

  /** One service by its integer id or its uuid; undefined when there is none. */
  async get(id: number | string): Promise<ServiceRecord | undefined> {
    const row = await this.db
      .selectFrom('services')
      .selectAll()
      .where(typeof id === 'number' ? 'id' : 'uuid', '=', id)
      .executeTakeFirst();
    return row ? this.toRecord(row) : undefined;
  }

  /**
   * Changes a service's administrative state (enabled or disabled with a reason, forced down);
   * returns the updated record, or undefined when the service does not exist.
   */
  async update(
    id: number,
    changes: { disabled?: boolean; disabledReason?: string | null; forcedDown?: boolean },
  ): Promise<ServiceRecord | undefined> {
    await this.db
      .updateTable('services')
      .set({
        updated_at: now(this.clock),
        ...(changes.disabled === undefined ? {} : { disabled: toDbBoolean(changes.disabled) }),
        ...(changes.disabledReason === undefined
          ? {}
          : { disabled_reason: changes.disabledReason }),
        ...(changes.forcedDown === undefined
          ? {}
          : { forced_down: toDbBoolean(changes.forcedDown) }),
      })
      .where('id', '=', id)
      .execute();
    return this.get(id);
  }

  /** Removes a service's record; false when there was none. */
  async delete(id: number): Promise<boolean> {
    const r = await this.db.deleteFrom('services').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  private toRecord(r: Selectable<ServicesTable>): ServiceRecord {
    const lastSeenUp = r.last_seen_up ? fromDbTimestamp(r.last_seen_up) : null;
    const forcedDown = fromDbBoolean(r.forced_down);
    return {
      id: r.id,
      uuid: r.uuid,
      host: r.host,
      binary: r.binary,
      topic: r.topic,
      reportCount: r.report_count,
      disabled: fromDbBoolean(r.disabled),
      disabledReason: r.disabled_reason,
      forcedDown,
      lastSeenUp,
      createdAt: fromDbTimestamp(r.created_at),
      updatedAt: r.updated_at ? fromDbTimestamp(r.updated_at) : null,
      up: this.isUp(lastSeenUp, forcedDown),
    };
  }

  /** Nova's servicegroup DB driver: up when seen within service_down_time and not forced down. */
  private isUp(lastSeenUp: Date | null, forcedDown: boolean): boolean {
    const fresh =
      lastSeenUp !== null &&
      this.clock.now() - lastSeenUp.getTime() <= this.serviceDownTimeSec * 1000;
    return fresh && !forcedDown;
  }
}

/** The bus topic heartbeats go to. */
export const SERVICE_REGISTRY_TOPIC = 'service_registry';
