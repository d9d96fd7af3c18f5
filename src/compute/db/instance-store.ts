import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import { ConflictError, NotFoundError, registerErrorClass } from '../../common/errors.js';
import type { Database } from '../../platform/db/database.js';
import { now } from '../../platform/db/timestamps.js';
import { withTransaction } from '../../platform/db/with-transaction.js';
import type { TaskState } from '../vm-states.js';
import type { CellDatabase, InstancesTable } from './cell-tables.js';
import { listSlots, listValues, queryTemplates } from '../../platform/db/query-templates.js';

/** An instance row. */
export type InstanceRow = Selectable<InstancesTable>;

/** A state change that was not applied because the instance moved on (Nova's UnexpectedTaskStateError). */
export class UnexpectedTaskStateError extends ConflictError {
  constructor(message: string, opts: { code?: string; details?: Record<string, unknown> } = {}) {
    super(message, { code: 'compute.unexpected_task_state', ...opts });
  }
}
registerErrorClass(UnexpectedTaskStateError);

/** Why an instance failed, as the API shows it in `fault`. */
export interface InstanceFault {
  code: number;
  message: string;
  details?: string;
  host?: string | null;
}

/** A new instance for `createAll`: its row, metadata and tags. */
export interface NewInstance {
  row: Omit<Insertable<InstancesTable>, 'created_at' | 'deleted'>;
  metadata?: Record<string, string>;
  tags?: string[];
}

/** The fields `update` may change. */
export type InstanceChanges = Omit<Updateable<InstancesTable>, 'id' | 'uuid' | 'created_at'>;

/**
 * Instance records in the cell database: create, read, compare-and-swap updates on task_state
 * (so two workflows never both act on one instance), faults, and soft deletion.
 */
export class InstanceStore {
  private readonly db: Kysely<CellDatabase>;

  constructor(
    private readonly database: Database<CellDatabase>,
    private readonly clock: Clock,
  ) {
    this.db = database.kysely;
  }

  /** Inserts a new instance with its metadata and tags, in one transaction. */
  async create(
    row: NewInstance['row'],
    metadata: Record<string, string> = {},
    tags: string[] = [],
  ): Promise<InstanceRow> {
    const [created] = await this.createAll([{ row, metadata, tags }]);
    return created!;
  }

  /**
   * Inserts instances with their metadata and tags in one transaction, after `guard` ran in it
   * (the quota recheck: it locks and counts, and throws to insert nothing).
   */
  async createAll(
    entries: NewInstance[],
    guard?: (trx: Kysely<CellDatabase>) => Promise<void>,
  ): Promise<InstanceRow[]> {
    const created_at = now(this.clock);
    return withTransaction(this.database, async (trx) => {
      if (guard) await guard(trx);
      const rows: InstanceRow[] = [];
      for (const { row, metadata = {}, tags = [] } of entries) {
        rows.push(
          await trx
            .insertInto('instances')
            .values({ ...row, created_at, deleted: 0 })
            .returningAll()
            .executeTakeFirstOrThrow(),
        );
        const meta = Object.entries(metadata).map(([key, value]) => ({
          instance_uuid: row.uuid,
          key,
          value,
        }));
        if (meta.length) await trx.insertInto('instance_metadata').values(meta).execute();
        if (tags.length) {
          await trx
            .insertInto('tags')
            .values([...new Set(tags)].map((tag) => ({ resource_id: row.uuid, tag })))
            .execute();
        }
      }
      return rows;
    });
  }

  /** The instance, or NotFoundError (deleted ones only when asked). */
  async get(uuid: string, opts: { includeDeleted?: boolean } = {}): Promise<InstanceRow> {
    let q = this.db.selectFrom('instances').selectAll().where('uuid', '=', uuid);
    if (!opts.includeDeleted) q = q.where('deleted', '=', 0);
    const row = await q.executeTakeFirst();
    if (!row)
      throw new NotFoundError(`Instance ${uuid} could not be found.`, {
        code: 'compute.instance_not_found',
      });
    return row;
  }

  /**
   * Applies changes; with `expectedTaskState` only when the instance's task_state is one of
   * those values at that moment (a single UPDATE ... WHERE, atomic on both dialects). With
   * `fault`, the fault is recorded in the same transaction, so nobody sees an instance in ERROR
   * without the fault that says why.
   */
  async update(
    uuid: string,
    changes: InstanceChanges,
    opts: {
      expectedTaskState?: readonly (TaskState | null)[];
      expectedVmState?: readonly string[];
      fault?: InstanceFault;
    } = {},
  ): Promise<InstanceRow> {
    const { fault } = opts;
    const row = fault
      ? await withTransaction(this.database, async (trx) => {
          const updated = await this.updateOn(trx, uuid, changes, opts);
          if (updated) await this.insertFault(trx, uuid, fault);
          return updated;
        })
      : await this.updateOn(this.db, uuid, changes, opts);
    if (row) return row;
    const current = await this.get(uuid);
    throw new UnexpectedTaskStateError(
      `Conflict updating instance ${uuid}. Expected: task_state ${JSON.stringify(opts.expectedTaskState ?? 'any')}. Actual: ${current.task_state ?? 'None'}`,
      { details: { instance_uuid: uuid, actual: current.task_state } },
    );
  }

  private async updateOn(
    db: Kysely<CellDatabase>,
    uuid: string,
    changes: InstanceChanges,
    opts: {
      expectedTaskState?: readonly (TaskState | null)[];
      expectedVmState?: readonly string[];
    },
  ): Promise<InstanceRow | undefined> {
    // Kysely leaves out columns set to undefined; so does the shape.
    const set: Record<string, unknown> = Object.fromEntries(
      Object.entries({ ...changes, updated_at: now(this.clock) }).filter(
        ([, v]) => v !== undefined,
      ),
    );
    const columns = Object.keys(set);
    const taskStates = opts.expectedTaskState?.filter((t): t is TaskState => t !== null);
    const allowNull = opts.expectedTaskState?.includes(null) ?? false;
    const vmStates = opts.expectedVmState;
    const values: Record<string, unknown> = {
      uuid,
      ...listValues('task', taskStates ?? []),
      ...listValues('vm', vmStates ?? []),
    };
    for (const c of columns) values[`set.${c}`] = set[c];
    // Every step of a build updates its instance: the statement is built once per shape.
    const shape = JSON.stringify([
      'instances.update',
      columns,
      taskStates?.length ?? null,
      allowNull,
      vmStates?.length ?? null,
    ]);
    const [row] = await queryTemplates(db).execute(
      shape,
      (slot) => {
        let q = db
          .updateTable('instances')
          .set(Object.fromEntries(columns.map((c) => [c, slot(`set.${c}`)])))
          .where('uuid', '=', slot('uuid'))
          .where('deleted', '=', 0);
        if (opts.expectedTaskState) {
          q = q.where((eb) => {
            const parts = [];
            if (taskStates?.length) {
              parts.push(eb('task_state', 'in', listSlots(slot, 'task', taskStates.length)));
            }
            if (allowNull) parts.push(eb('task_state', 'is', null));
            return parts.length ? eb.or(parts) : eb.val(false);
          });
        }
        if (vmStates) {
          q = q.where('vm_state', 'in', listSlots(slot, 'vm', vmStates.length));
        }
        return q.returningAll();
      },
      values,
    );
    return row;
  }

  /** Records why an instance failed; the API shows the latest as `fault`. */
  async addFault(uuid: string, fault: InstanceFault): Promise<void> {
    await this.insertFault(this.db, uuid, fault);
  }

  private async insertFault(
    db: Kysely<CellDatabase>,
    uuid: string,
    fault: InstanceFault,
  ): Promise<void> {
    await db
      .insertInto('instance_faults')
      .values({
        instance_uuid: uuid,
        code: fault.code,
        // Nova truncates the message column at 255 characters.
        message: fault.message.slice(0, 255),
        details: fault.details ?? null,
        host: fault.host ?? null,
        created_at: now(this.clock),
      })
      .execute();
  }

  /** The most recent fault of an instance, if any. */
  async latestFault(uuid: string) {
    return this.db
      .selectFrom('instance_faults')
      .selectAll()
      .where('instance_uuid', '=', uuid)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /**
   * Marks the instance deleted (soft delete, as Nova), keeping the row for `deleted=true`
   * listings; its fixed IPs are released in the same transaction, whichever path deletes it.
   */
  async softDelete(uuid: string): Promise<void> {
    const ts = now(this.clock);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('instances')
        .set({
          deleted: 1,
          deleted_at: ts,
          terminated_at: ts,
          vm_state: 'deleted',
          task_state: null,
          updated_at: ts,
        })
        .where('uuid', '=', uuid)
        .where('deleted', '=', 0)
        .execute();
      await trx.deleteFrom('fixed_ips').where('instance_uuid', '=', uuid).execute();
    });
  }

  /** Live instances on a compute host (for the agent's startup recovery and power sync). */
  async listByHost(host: string): Promise<InstanceRow[]> {
    return this.db
      .selectFrom('instances')
      .selectAll()
      .where('host', '=', host)
      .where('deleted', '=', 0)
      .execute();
  }

  /** Instances whose transitional task state is overdue (for the deadline reaper). */
  async listOverdue(at: string): Promise<InstanceRow[]> {
    return this.db
      .selectFrom('instances')
      .selectAll()
      .where('deleted', '=', 0)
      .where('task_deadline', 'is not', null)
      .where('task_deadline', '<', at)
      .execute();
  }
}
