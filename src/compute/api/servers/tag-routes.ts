import { BadRequestError, ConflictError, NotFoundError } from '../../../common/errors.js';
import type { InstanceRow } from '../../db/instance-store.js';
import { VmState } from '../../vm-states.js';
import { Versioned } from '../microversion/versioned.js';
import { ApiReply } from '../routing/api-reply.js';
import type { ApiCall, Handler, RouteSpec } from '../routing/route-spec.js';
import { ServerPolicy } from './server-policies.js';
import { cellDb, visibleInstance } from './server-reads.js';
import { MAX_TAGS, tagSchema } from './server-schemas.js';
import type { ServersBackend } from './servers-backend.js';

/** vm_states in which tags may change (upstream's server_tags._check_instance_in_valid_state). */
const TAGGABLE: string[] = [
  VmState.ACTIVE,
  VmState.PAUSED,
  VmState.SUSPENDED,
  VmState.STOPPED,
  VmState.SHELVED,
  VmState.SHELVED_OFFLOADED,
];

const putAll = Versioned.always<object>({
  type: 'object',
  properties: { tags: { type: 'array', items: tagSchema, maxItems: MAX_TAGS } },
  required: ['tags'],
  additionalProperties: false,
});

/** Server tags exist from 2.26. */
const from226 = (h: Handler) => new Versioned<Handler>([[['2.26'], h]]);

async function tagsOf(backend: ServersBackend, uuid: string): Promise<string[]> {
  const rows = await cellDb(backend.cellDb)
    .selectFrom('tags')
    .select('tag')
    .where('resource_id', '=', uuid)
    .orderBy('tag')
    .execute();
  return rows.map((r) => r.tag);
}

async function target(
  backend: ServersBackend,
  call: ApiCall,
  rule: string,
  action?: string,
): Promise<InstanceRow> {
  const row = await visibleInstance(backend.cellDb, call.context, call.params.id!);
  call.authorize(rule, { project_id: row.project_id });
  if (action && !TAGGABLE.includes(row.vm_state)) {
    throw new ConflictError(
      `Cannot '${action}' instance ${row.uuid} while it is in vm_state ${row.vm_state}`,
    );
  }
  return row;
}

function checkTag(tag: string): void {
  if (tag.length < 1 || tag.length > 60 || /[,/]/.test(tag)) {
    throw new BadRequestError(`Invalid input for field/attribute tag. Value: ${tag}.`);
  }
}

/** /servers/{id}/tags (2.26): list, replace, clear; one tag: check, add, remove. */
export function tagRoutes(backend: ServersBackend): RouteSpec[] {
  const base = '/servers/:id/tags';
  return [
    {
      method: 'GET',
      path: base,
      handler: from226(async (call) => ({
        tags: await tagsOf(backend, (await target(backend, call, ServerPolicy.tagsIndex)).uuid),
      })),
    },
    {
      method: 'PUT',
      path: base,
      body: putAll,
      handler: from226(async (call) => {
        const row = await target(backend, call, ServerPolicy.tagsUpdateAll, 'update tags');
        const tags = [...new Set(call.body.tags as string[])];
        await cellDb(backend.cellDb)
          .transaction()
          .execute(async (trx) => {
            await trx.deleteFrom('tags').where('resource_id', '=', row.uuid).execute();
            if (tags.length)
              await trx
                .insertInto('tags')
                .values(tags.map((tag) => ({ resource_id: row.uuid, tag })))
                .execute();
          });
        await backend.instances.update(row.uuid, {});
        return { tags: await tagsOf(backend, row.uuid) };
      }),
    },
    {
      method: 'DELETE',
      path: base,
      status: 204,
      handler: from226(async (call) => {
        const row = await target(backend, call, ServerPolicy.tagsDeleteAll, 'delete tags');
        await cellDb(backend.cellDb)
          .deleteFrom('tags')
          .where('resource_id', '=', row.uuid)
          .execute();
        await backend.instances.update(row.uuid, {});
        return undefined;
      }),
    },
    {
      method: 'GET',
      path: `${base}/:tag`,
      status: 204,
      handler: from226(async (call) => {
        const row = await target(backend, call, ServerPolicy.tagsShow);
        if (!(await tagsOf(backend, row.uuid)).includes(call.params.tag!)) {
          throw new NotFoundError(`Instance ${row.uuid} has no tag '${call.params.tag}'`);
        }
        return undefined;
      }),
    },
    {
      method: 'PUT',
      path: `${base}/:tag`,
      // Nova: 201 with a Location for a new tag, 204 when the server already had it.
      status: 201,
      handler: from226(async (call) => {
        const row = await target(backend, call, ServerPolicy.tagsUpdate, 'update tag');
        const tag = call.params.tag!;
        checkTag(tag);
        const tags = await tagsOf(backend, row.uuid);
        if (tags.includes(tag)) return new ApiReply(undefined, { status: 204 });
        if (tags.length >= MAX_TAGS) {
          throw new BadRequestError(`The number of tags exceeded the per-server limit ${MAX_TAGS}`);
        }
        await cellDb(backend.cellDb)
          .insertInto('tags')
          .values({ resource_id: row.uuid, tag })
          .execute();
        await backend.instances.update(row.uuid, {});
        const location = `${call.links.href('servers', row.uuid)}/tags/${encodeURIComponent(tag)}`;
        return new ApiReply(undefined, { status: 201, headers: { location } });
      }),
    },
    {
      method: 'DELETE',
      path: `${base}/:tag`,
      status: 204,
      handler: from226(async (call) => {
        const row = await target(backend, call, ServerPolicy.tagsDelete, 'delete tag');
        const r = await cellDb(backend.cellDb)
          .deleteFrom('tags')
          .where('resource_id', '=', row.uuid)
          .where('tag', '=', call.params.tag!)
          .executeTakeFirst();
        if (Number(r.numDeletedRows) === 0)
          throw new NotFoundError(`Instance ${row.uuid} has no tag '${call.params.tag}'`);
        await backend.instances.update(row.uuid, {});
        return undefined;
      }),
    },
  ];
}
