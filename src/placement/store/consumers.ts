import type { Clock } from '../../common/clock.js';
import { queryTemplates } from '../../platform/db/query-templates.js';
import { now } from '../../platform/db/timestamps.js';
import type { PlacementExecutor, PlacementTrx } from '../db/tables.js';
import { ConcurrentUpdateError } from '../placement-errors.js';

/** A consumer with its project, user and type resolved. */
export interface ConsumerRecord {
  id: number;
  uuid: string;
  projectId: number;
  projectExternalId: string;
  userId: number;
  userExternalId: string;
  generation: number;
  consumerTypeId: number | null;
  /** The type name, or `unknown` for consumers written before 1.38 (upstream's alias). */
  consumerType: string;
}

/** The name upstream reports for consumers without a type. */
export const UNKNOWN_CONSUMER_TYPE = 'unknown';

/** The consumer with this UUID, if any. */
export async function getConsumer(
  db: PlacementExecutor,
  uuid: string,
): Promise<ConsumerRecord | undefined> {
  // Every allocation write reads its consumer: the query is built once.
  const [r] = await queryTemplates(db).execute(
    'placement_consumers.get',
    (slot) =>
      db
        .selectFrom('placement_consumers as c')
        .innerJoin('placement_projects as p', 'p.id', 'c.project_id')
        .innerJoin('placement_users as u', 'u.id', 'c.user_id')
        .leftJoin('placement_consumer_types as ct', 'ct.id', 'c.consumer_type_id')
        .select([
          'c.id',
          'c.uuid',
          'c.project_id',
          'p.external_id as project_external_id',
          'c.user_id',
          'u.external_id as user_external_id',
          'c.generation',
          'c.consumer_type_id',
          'ct.name as consumer_type',
        ])
        .where('c.uuid', '=', slot('uuid')),
    { uuid },
  );
  if (!r) return undefined;
  return {
    id: r.id,
    uuid: r.uuid,
    projectId: r.project_id,
    projectExternalId: r.project_external_id,
    userId: r.user_id,
    userExternalId: r.user_external_id,
    generation: r.generation,
    consumerTypeId: r.consumer_type_id,
    consumerType: r.consumer_type ?? UNKNOWN_CONSUMER_TYPE,
  };
}

async function ensureNamed(
  trx: PlacementTrx,
  table: 'placement_projects' | 'placement_users',
  externalId: string,
  clock: Clock,
): Promise<number> {
  // Every allocation write names its project and user: both statements are built once.
  const templates = queryTemplates(trx);
  await templates.execute(
    `${table}.ensure`,
    (slot) =>
      trx
        .insertInto(table)
        .values({ external_id: slot('externalId'), created_at: slot('createdAt') })
        .onConflict((oc) => oc.column('external_id').doNothing()),
    { externalId, createdAt: now(clock) },
  );
  const [row] = await templates.execute(
    `${table}.id`,
    (slot) => trx.selectFrom(table).select('id').where('external_id', '=', slot('externalId')),
    { externalId },
  );
  if (!row) throw new Error(`${table}: ${externalId} vanished after it was recorded`);
  return row.id;
}

/** The internal id of a project, recorded on first use. */
export function ensureProject(
  trx: PlacementTrx,
  externalId: string,
  clock: Clock,
): Promise<number> {
  return ensureNamed(trx, 'placement_projects', externalId, clock);
}

/** The internal id of a user, recorded on first use. */
export function ensureUser(trx: PlacementTrx, externalId: string, clock: Clock): Promise<number> {
  return ensureNamed(trx, 'placement_users', externalId, clock);
}

/** The internal id of a consumer type, recorded on first use. */
export async function ensureConsumerType(
  trx: PlacementTrx,
  name: string,
  clock: Clock,
): Promise<number> {
  await trx
    .insertInto('placement_consumer_types')
    .values({ name, created_at: now(clock) })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await trx
    .selectFrom('placement_consumer_types')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Creates a consumer at generation 0 and returns its id. */
export async function createConsumer(
  trx: PlacementTrx,
  input: { uuid: string; projectId: number; userId: number; consumerTypeId: number | null },
  clock: Clock,
): Promise<number> {
  const row = await trx
    .insertInto('placement_consumers')
    .values({
      uuid: input.uuid,
      project_id: input.projectId,
      user_id: input.userId,
      generation: 0,
      consumer_type_id: input.consumerTypeId,
      created_at: now(clock),
      updated_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Points a consumer at another project, user or type (its generation does not move). */
export async function updateConsumerOwner(
  trx: PlacementTrx,
  id: number,
  owner: { projectId: number; userId: number; consumerTypeId: number | null },
  clock: Clock,
): Promise<void> {
  await trx
    .updateTable('placement_consumers')
    .set({
      project_id: owner.projectId,
      user_id: owner.userId,
      consumer_type_id: owner.consumerTypeId,
      updated_at: now(clock),
    })
    .where('id', '=', id)
    .execute();
}

/** Moves a consumer's generation on; ConcurrentUpdateError when it was not `expected`. */
export async function bumpConsumerGeneration(
  trx: PlacementTrx,
  id: number,
  expected: number,
  clock: Clock,
): Promise<void> {
  const res = await trx
    .updateTable('placement_consumers')
    .set({ generation: expected + 1, updated_at: now(clock) })
    .where('id', '=', id)
    .where('generation', '=', expected)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw new ConcurrentUpdateError();
}

/** Deletes those of the consumers that have no allocations left. */
export async function deleteConsumersWithoutAllocations(
  trx: PlacementTrx,
  uuids: string[],
): Promise<void> {
  if (uuids.length === 0) return;
  await trx
    .deleteFrom('placement_consumers')
    .where('uuid', 'in', uuids)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('placement_allocations as a')
            .select('a.id')
            .whereRef('a.consumer_id', '=', 'placement_consumers.uuid'),
        ),
      ),
    )
    .execute();
}
