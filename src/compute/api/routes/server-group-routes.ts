import { BadRequestError } from '../../../common/errors.js';
import { isAdmin } from '../../../platform/auth/request-context.js';
import { limited } from '../http/pagination.js';
import { ServerGroupPolicy } from '../policies/server-group-policies.js';
import type { ApiDeps } from '../routing/api-deps.js';
import type { ApiCall, RouteSpec } from '../routing/route-spec.js';
import { noParamsQueries } from '../schemas/flavor-schemas.js';
import {
  serverGroupCreateSchemas,
  serverGroupListQueries,
  type ServerGroupCreateBody,
} from '../schemas/server-group-schemas.js';
import {
  serverGroupNotFound,
  type ServerGroup,
  type ServerGroupPolicy as Policy,
} from '../store/server-group-store.js';
import { serverGroupView } from '../views/server-group-view.js';

const TOO_MANY = 'Quota exceeded, too many server groups.';

async function render(
  deps: ApiDeps,
  call: ApiCall,
  groups: ServerGroup[],
): Promise<Record<string, unknown>[]> {
  // Members that were deleted since they joined are not shown, as upstream.
  const existing = await deps.cell.existingServers(groups.flatMap((g) => g.members));
  return groups.map((group) =>
    serverGroupView.render(
      { group, members: group.members.filter((m) => existing.has(m)) },
      call.version,
    ),
  );
}

/**
 * Loads a group the caller may act on: another project's group is a 404 to those the rule does
 * not let in (it does not exist for them); within the project the rule's 403 stands.
 */
async function groupFor(deps: ApiDeps, call: ApiCall, rule: string): Promise<ServerGroup> {
  const group = await deps.serverGroups.get(call.params.id!);
  const target = { project_id: group.projectId };
  if (group.projectId !== call.context.projectId && !call.can(rule, target)) {
    throw serverGroupNotFound(group.uuid);
  }
  call.authorize(rule, target);
  return group;
}

async function create(deps: ApiDeps, call: ApiCall<ServerGroupCreateBody>): Promise<unknown> {
  const projectId = call.context.projectId ?? '';
  const userId = call.context.userId ?? '';
  call.authorize(ServerGroupPolicy.create, { project_id: projectId });
  await deps.quotas.check('server_groups', 1, projectId, userId, TOO_MANY);
  const v = call.body.server_group;
  let policy: Policy;
  let rules: Record<string, number> = {};
  if (call.version.atLeast('2.64')) {
    policy = v.policy as Policy;
    for (const [k, val] of Object.entries(v.rules ?? {})) rules[k] = Number(val);
    if (policy !== 'anti-affinity' && Object.keys(rules).length > 0) {
      throw new BadRequestError('Only anti-affinity policy supports rules.');
    }
  } else {
    policy = v.policies![0] as Policy;
    rules = {};
  }
  const group = await deps.serverGroups.create({
    uuid: deps.ids.uuid(),
    name: v.name,
    projectId,
    userId,
    policy,
    rules,
  });
  if (deps.config.quota.recheck_quota) {
    try {
      await deps.quotas.check('server_groups', 0, projectId, userId, TOO_MANY);
    } catch (err) {
      await deps.serverGroups.delete(group.uuid);
      throw err;
    }
  }
  return { server_group: (await render(deps, call, [group]))[0] };
}

/** os-server-groups: list (own project, or all for admins), create, show, delete. */
export function serverGroupRoutes(deps: ApiDeps): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: '/os-server-groups',
      query: serverGroupListQueries,
      handler: async (call) => {
        const projectId = call.context.projectId ?? '';
        call.authorize(ServerGroupPolicy.index, { project_id: projectId });
        let groups: ServerGroup[];
        if (call.query.has('all_projects') && isAdmin(call.context)) {
          call.authorize(ServerGroupPolicy.indexAllProjects, { project_id: projectId });
          groups = await deps.serverGroups.list();
        } else {
          groups = await deps.serverGroups.list(projectId);
        }
        return {
          server_groups: await render(deps, call, limited(groups, call.query, deps.maxLimit)),
        };
      },
    },
    {
      method: 'POST',
      path: '/os-server-groups',
      body: serverGroupCreateSchemas,
      handler: (call) => create(deps, call),
    },
    {
      method: 'GET',
      path: '/os-server-groups/:id',
      query: noParamsQueries,
      handler: async (call) => {
        const group = await groupFor(deps, call, ServerGroupPolicy.show);
        return { server_group: (await render(deps, call, [group]))[0] };
      },
    },
    {
      method: 'DELETE',
      path: '/os-server-groups/:id',
      status: 204,
      handler: async (call) => {
        const group = await groupFor(deps, call, ServerGroupPolicy.delete);
        await deps.serverGroups.delete(group.uuid);
        return undefined;
      },
    },
  ];
}
