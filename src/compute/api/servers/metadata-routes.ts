import { BadRequestError, ConflictError, NotFoundError } from '../../../common/errors.js';
import type { InstanceRow } from '../../db/instance-store.js';
import { actionAllowed, type TaskState, type VmState } from '../../vm-states.js';
import { Versioned } from '../microversion/versioned.js';
import type { ApiCall, RouteSpec } from '../routing/route-spec.js';
import { absoluteLimits, checkMetadataQuota } from './create-limits.js';
import { ServerPolicy } from './server-policies.js';
import { cellDb, visibleInstance } from './server-reads.js';
import { metadataSchema } from './server-schemas.js';
import type { ServersBackend } from './servers-backend.js';

const all = Versioned.always<object>({
  type: 'object',
  properties: { metadata: metadataSchema },
  required: ['metadata'],
  additionalProperties: false,
});
const one = Versioned.always<object>({
  type: 'object',
  properties: { meta: { ...metadataSchema, minProperties: 1, maxProperties: 1 } },
  required: ['meta'],
  additionalProperties: false,
});

async function readMetadata(
  backend: ServersBackend,
  uuid: string,
): Promise<Record<string, string>> {
  const rows = await cellDb(backend.cellDb)
    .selectFrom('instance_metadata')
    .selectAll()
    .where('instance_uuid', '=', uuid)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

/** Nova's InstanceInvalidState 409 for a metadata change in a state that forbids it. */
function checkState(row: InstanceRow, action: string): void {
  if (!actionAllowed('metadata', row.vm_state as VmState, row.task_state as TaskState | null)) {
    throw new ConflictError(
      `Cannot '${action}' instance ${row.uuid} while it is in vm_state ${row.vm_state}`,
    );
  }
}

/** Writes metadata: replaces it all, or merges `items` into what is there. */
async function writeMetadata(
  backend: ServersBackend,
  row: InstanceRow,
  items: Record<string, string>,
  replace: boolean,
): Promise<Record<string, string>> {
  const merged = replace ? items : { ...(await readMetadata(backend, row.uuid)), ...items };
  checkMetadataQuota(absoluteLimits(backend.config), merged);
  await cellDb(backend.cellDb)
    .transaction()
    .execute(async (trx) => {
      if (replace)
        await trx.deleteFrom('instance_metadata').where('instance_uuid', '=', row.uuid).execute();
      else if (Object.keys(items).length) {
        await trx
          .deleteFrom('instance_metadata')
          .where('instance_uuid', '=', row.uuid)
          .where('key', 'in', Object.keys(items))
          .execute();
      }
      const values = Object.entries(items).map(([key, value]) => ({
        instance_uuid: row.uuid,
        key,
        value,
      }));
      if (values.length) await trx.insertInto('instance_metadata').values(values).execute();
    });
  await backend.instances.update(row.uuid, {});
  return merged;
}

async function target(backend: ServersBackend, call: ApiCall, rule: string): Promise<InstanceRow> {
  const row = await visibleInstance(backend.cellDb, call.context, call.params.id!);
  call.authorize(rule, { project_id: row.project_id });
  return row;
}

/** /servers/{id}/metadata: list, merge, replace; one item: show, set, delete. */
export function metadataRoutes(backend: ServersBackend): RouteSpec[] {
  const base = '/servers/:id/metadata';
  return [
    {
      method: 'GET',
      path: base,
      handler: async (call) => {
        const row = await target(backend, call, ServerPolicy.metadataIndex);
        return { metadata: await readMetadata(backend, row.uuid) };
      },
    },
    {
      method: 'POST',
      path: base,
      body: all,
      handler: async (call) => {
        const row = await target(backend, call, ServerPolicy.metadataCreate);
        checkState(row, 'update metadata');
        return { metadata: await writeMetadata(backend, row, call.body.metadata, false) };
      },
    },
    {
      method: 'PUT',
      path: base,
      body: all,
      handler: async (call) => {
        const row = await target(backend, call, ServerPolicy.metadataUpdateAll);
        checkState(row, 'update metadata');
        return { metadata: await writeMetadata(backend, row, call.body.metadata, true) };
      },
    },
    {
      method: 'GET',
      path: `${base}/:key`,
      handler: async (call) => {
        const row = await target(backend, call, ServerPolicy.metadataShow);
        const meta = await readMetadata(backend, row.uuid);
        const key = call.params.key!;
        if (!(key in meta)) throw new NotFoundError('Metadata item was not found');
        return { meta: { [key]: meta[key] } };
      },
    },
    {
      method: 'PUT',
      path: `${base}/:key`,
      body: one,
      handler: async (call) => {
        const row = await target(backend, call, ServerPolicy.metadataUpdate);
        const meta = call.body.meta as Record<string, string>;
        const key = call.params.key!;
        if (!(key in meta)) throw new BadRequestError('Request body and URI mismatch');
        checkState(row, 'update metadata');
        await writeMetadata(backend, row, meta, false);
        return { meta };
      },
    },
    {
      method: 'DELETE',
      path: `${base}/:key`,
      status: 204,
      handler: async (call) => {
        const row = await target(backend, call, ServerPolicy.metadataDelete);
        const key = call.params.key!;
        const meta = await readMetadata(backend, row.uuid);
        if (!(key in meta)) throw new NotFoundError('Metadata item was not found');
        checkState(row, 'delete metadata');
        await cellDb(backend.cellDb)
          .deleteFrom('instance_metadata')
          .where('instance_uuid', '=', row.uuid)
          .where('key', '=', key)
          .execute();
        await backend.instances.update(row.uuid, {});
        return undefined;
      },
    },
  ];
}
