import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError, NotFoundError } from '../../../common/errors.js';
import type { PolicyEnforcer, PolicyTarget } from '../../../platform/policy/policy-enforcer.js';
import { computeState } from '../http/compute-request.js';
import { LinkBuilder } from '../http/link-builder.js';
import { microversionHeaders } from '../http/microversion-headers.js';
import { Versioned } from '../microversion/versioned.js';
import type { RequestValidator } from '../validation/request-validator.js';
import { parseQueryString, QueryParams } from './query-params.js';
import { ApiReply } from './api-reply.js';
import { actionName, readJsonBody } from './request-body.js';
import type { AnyRouteSpec, ApiCall, Handler, OperationSpec } from './route-spec.js';

/** What mounting needs besides the routes. */
export interface MountOptions {
  validator: RequestValidator;
  enforcer: PolicyEnforcer;
  /** `[api] max_limit`. */
  maxLimit: number;
}

/** The API roots every route is served under, with and without a project id (upstream's ProjectMapper). */
const PREFIXES = ['/v2.1', '/v2.1/:project_id', '/v2', '/v2/:project_id'];

/** Project ids in URLs are hex with dashes upstream; anything else is not a route at all. */
const PROJECT_ID_IN_URL = /^[0-9a-f-]+$/;

type Prepared = {
  handler: Handler | Versioned<Handler>;
  body?: Versioned<object>;
  query?: Versioned<object>;
  status: Versioned<number>;
};

function prepare(op: OperationSpec): Prepared {
  // Schemas compile on first use (cached): compiling all of them, strict and relaxed, for every
  // microversion range took most of the API's start-up time. The route tests compile each one.
  const status = op.status instanceof Versioned ? op.status : Versioned.always(op.status ?? 200);
  return { handler: op.handler, body: op.body, query: op.query, status };
}

async function run(
  op: Prepared,
  req: FastifyRequest,
  reply: FastifyReply,
  body: unknown,
  opts: MountOptions,
): Promise<unknown> {
  const state = computeState(req);
  const v = state.version;
  const handler = op.handler instanceof Versioned ? op.handler.at(v) : op.handler;
  if (!handler) throw new NotFoundError('The resource could not be found.');
  const legacy = v.legacy;
  // The legacy v2 API uses the v2.0 schema, or else the oldest one (relaxed), as the v2.1 API
  // replaced v2 with stricter validation of the same bodies; no handler sees an unchecked body.
  const pick = (s: Versioned<object> | undefined) =>
    s?.at(v) ?? (legacy ? s?.all()[0]?.value : undefined);
  const bodySchema = pick(op.body);
  if (bodySchema) opts.validator.compile(bodySchema).body(body, legacy);
  let dict = parseQueryString(req.url);
  const querySchema = pick(op.query);
  if (querySchema) dict = opts.validator.compile(querySchema).query(dict, legacy);
  const query = new QueryParams(dict);
  const context = req.context;
  const own = (t?: PolicyTarget): PolicyTarget =>
    t ?? { project_id: context.projectId, user_id: context.userId };
  const params: Record<string, string> = { ...(req.params as Record<string, string>) };
  delete params.project_id;
  const call: ApiCall = {
    req,
    version: v,
    context,
    params,
    query,
    body,
    links: new LinkBuilder(state.appUrl, state.urlProjectId, query, opts.maxLimit),
    authorize: (rule, target) => opts.enforcer.authorize(rule, context, own(target)),
    can: (rule, target) => opts.enforcer.check(rule, context, own(target)),
  };
  let result = await handler(call);
  reply.headers(microversionHeaders(v));
  reply.code(op.status.at(v) ?? 200);
  if (result instanceof ApiReply) {
    if (result.opts.status !== undefined) reply.code(result.opts.status);
    if (result.opts.headers) reply.headers(result.opts.headers);
    result = result.body;
  }
  if (result === undefined) return reply.send();
  return reply.type('application/json').send(result);
}

function checkUrlProject(req: FastifyRequest): void {
  const pid = (req.params as Record<string, string | undefined>).project_id;
  if (pid === undefined) return;
  if (!PROJECT_ID_IN_URL.test(pid)) throw new NotFoundError('The resource could not be found.');
  if (pid !== req.context.projectId) {
    throw new BadRequestError(
      `Malformed request URL: URL's project_id '${pid}' doesn't match Context's project_id '${req.context.projectId}'`,
    );
  }
}

/**
 * Mounts routes under every API root. Per request: the URL's project id is checked against the
 * token's, the operation serving the request's microversion is picked (404 if none, as
 * upstream), the body and query are validated against that version's schemas, and the status
 * and microversion headers of that version are sent.
 */
export function mountRoutes(
  app: FastifyInstance,
  routes: AnyRouteSpec[],
  opts: MountOptions,
): void {
  for (const route of routes) {
    let serve: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
    if ('actions' in route) {
      const actions = new Map(
        Object.entries(route.actions).map(([name, op]) => [name, prepare(op)] as const),
      );
      serve = async (req, reply) => {
        checkUrlProject(req);
        const body = readJsonBody(req);
        const name = actionName(body);
        const op = actions.get(name);
        if (!op) throw new BadRequestError(`There is no such action: ${name}`);
        return run(op, req, reply, body, opts);
      };
    } else {
      const op = prepare(route);
      const hasBody = route.method === 'POST' || route.method === 'PUT';
      serve = async (req, reply) => {
        checkUrlProject(req);
        return run(op, req, reply, hasBody ? readJsonBody(req) : null, opts);
      };
    }
    for (const prefix of PREFIXES) {
      app.route({ method: route.method, url: `${prefix}${route.path}`, handler: serve });
    }
  }
}
