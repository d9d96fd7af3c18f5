import {
  addResourceClass,
  allResourceClasses,
  removeResourceClass,
  renameCustomResourceClass,
  showResourceClass,
} from '../../service/resource-class-service.js';
import type { ResourceClassRecord } from '../../store/resource-classes.js';
import { conflict } from '../../placement-errors.js';
import { sendEmpty, sendJson } from '../json-reply.js';
import { Policy } from '../policies.js';
import {
  cacheHeaders,
  checkAcceptJson,
  newest,
  readJson,
  requireJsonContent,
  requireVersion,
  versionOf,
} from '../request-helpers.js';
import type { PathRoutes, RouteContext } from '../route-context.js';
import { badRequest } from '../../placement-errors.js';

function view(rc: ResourceClassRecord) {
  return { name: rc.name, links: [{ rel: 'self', href: `/resource_classes/${rc.name}` }] };
}

/** /resource_classes and /resource_classes/{name} (1.2+). */
export function resourceClassRoutes(ctx: RouteContext): Record<string, PathRoutes> {
  const { deps, checks } = ctx;
  const now = () => deps.clock.now();
  return {
    '/resource_classes': {
      GET: async (req, reply) => {
        requireVersion(req, 2);
        checkAcceptJson(req);
        ctx.authorize(req, Policy.RC_LIST);
        const all = await allResourceClasses(deps);
        cacheHeaders(req, reply, newest(all), now());
        return sendJson(reply, 200, { resource_classes: all.map(view) });
      },
      POST: async (req, reply) => {
        requireVersion(req, 2);
        requireJsonContent(req);
        ctx.authorize(req, Policy.RC_CREATE);
        const { name } = readJson<{ name: string }>(req, checks.resourceClass);
        if (!(await addResourceClass(deps, name))) {
          throw conflict(`Conflicting resource class already exists: ${name}`);
        }
        reply.header('location', `/resource_classes/${name}`);
        return sendEmpty(reply, 201);
      },
    },
    '/resource_classes/:name': {
      GET: async (req, reply) => {
        requireVersion(req, 2);
        checkAcceptJson(req);
        ctx.authorize(req, Policy.RC_SHOW);
        const { name } = req.params as { name: string };
        const rc = await showResourceClass(deps, name);
        // Standard classes have no meaningful time of their own: upstream answers "now".
        cacheHeaders(req, reply, rc.id >= 10000 ? (rc.updatedAt ?? rc.createdAt) : null, now());
        return sendJson(reply, 200, view(rc));
      },
      PUT: async (req, reply) => {
        requireVersion(req, 2);
        const { name } = req.params as { name: string };
        if (!versionOf(req).atLeast(7)) {
          requireJsonContent(req);
          ctx.authorize(req, Policy.RC_UPDATE);
          const body = readJson<{ name: string }>(req, checks.resourceClass);
          const rc = await renameCustomResourceClass(deps, name, body.name);
          return sendJson(reply, 200, view(rc));
        }
        // 1.7+: a bodiless create-or-verify of the class named in the URL.
        ctx.authorize(req, Policy.RC_UPDATE);
        const problem = checks.resourceClass({ name });
        if (problem !== null) throw badRequest(`JSON does not validate: ${problem}`);
        const created = await addResourceClass(deps, name);
        reply.header('location', `/resource_classes/${name}`);
        return sendEmpty(reply, created ? 201 : 204);
      },
      DELETE: async (req, reply) => {
        requireVersion(req, 2);
        ctx.authorize(req, Policy.RC_DELETE);
        const { name } = req.params as { name: string };
        await removeResourceClass(deps, name);
        return sendEmpty(reply, 204);
      },
    },
  };
}
