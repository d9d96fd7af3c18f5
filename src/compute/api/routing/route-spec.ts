import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../../platform/auth/request-context.js';
import type { PolicyTarget } from '../../../platform/policy/policy-enforcer.js';
import type { LinkBuilder } from '../http/link-builder.js';
import type { ApiVersion } from '../microversion/api-version.js';
import type { Versioned } from '../microversion/versioned.js';
import type { QueryParams } from './query-params.js';

/** Everything a handler gets: the validated request, who is calling, and helpers. */
export interface ApiCall<Body = any> {
  req: FastifyRequest;
  /** The negotiated microversion (2.0 on the legacy v2 API). */
  version: ApiVersion;
  context: RequestContext;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
  /** Query parameters left after the version's query schema dropped what it ignores. */
  query: QueryParams;
  /** The body, validated against the version's schema; null when there was none. */
  body: Body;
  links: LinkBuilder;
  /** Throws 403 unless the policy rule allows the caller; target defaults to the caller's own. */
  authorize(rule: string, target?: PolicyTarget): void;
  /** True when the rule allows the caller (upstream's `context.can(…, fatal=False)`). */
  can(rule: string, target?: PolicyTarget): boolean;
}

/** A handler returns the response body, or undefined for an empty one. */
export type Handler = (call: ApiCall) => Promise<unknown>;

/** How one operation is served: schemas, status and handler, each per microversion range. */
export interface OperationSpec {
  /**
   * The handler; a Versioned handler makes the operation exist only in its ranges (404
   * elsewhere, as upstream's `@wsgi.api_version`).
   */
  handler: Handler | Versioned<Handler>;
  /** Request body schemas by microversion; a version without one is not validated. */
  body?: Versioned<object>;
  /** Query string schemas by microversion. */
  query?: Versioned<object>;
  /** The success status (default 200), or one per range (keypair create: 200, then 201). */
  status?: number | Versioned<number>;
}

/** A method and path (relative to `/v2.1`, Fastify syntax) with its operation. */
export interface RouteSpec extends OperationSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
}

/**
 * A `POST …/action` route: the body's single key names the action (`{"addTenantAccess": …}`),
 * and each action is its own operation.
 */
export interface ActionRouteSpec {
  method: 'POST';
  path: string;
  actions: Record<string, OperationSpec>;
}

/** Any route the compute API mounts. */
export type AnyRouteSpec = RouteSpec | ActionRouteSpec;
