import { BadRequestError, NotFoundError } from '../../../common/errors.js';
import { COMPUTE_BINARY } from '../../service-binaries.js';
import {
  checkHostKeepsZone,
  checkZoneChange,
  invalidAggregateAction,
} from '../aggregates/zone-rules.js';
import { Versioned } from '../microversion/versioned.js';
import { AggregatePolicy } from '../policies/aggregate-policies.js';
import type { ApiDeps } from '../routing/api-deps.js';
import type { ActionRouteSpec, ApiCall, Handler, RouteSpec } from '../routing/route-spec.js';
import {
  addHostSchemas,
  aggregateCreateSchemas,
  aggregateImagesSchemas,
  aggregateUpdateSchemas,
  removeHostSchemas,
  setMetadataSchemas,
  type AggregateBodies,
} from '../schemas/aggregate-schemas.js';
import { noParamsQueries } from '../schemas/flavor-schemas.js';
import type { Aggregate } from '../store/aggregate-store.js';
import { aggregateCreatedView, aggregateView } from '../views/aggregate-view.js';

/** Aggregate ids are integers (upstream's validate_integer). */
function aggregateId(call: ApiCall): number {
  const raw = call.params.id!;
  if (!/^\s*-?\d+\s*$/.test(raw))
    throw new BadRequestError('Invalid input received: id must be an integer.');
  return Number(raw);
}

function body(call: ApiCall, a: Aggregate): unknown {
  return { aggregate: aggregateView.render(a, call.version) };
}

/** The host must be a compute service's (upstream's ComputeHostNotFound otherwise). */
async function computeHost(deps: ApiDeps, host: string): Promise<boolean> {
  return (await deps.services.list({ host, binary: COMPUTE_BINARY })).length > 0;
}

/** os-aggregates: list, create, show, update, delete, the host and metadata actions, images (2.81). */
export function aggregateRoutes(deps: ApiDeps): (RouteSpec | ActionRouteSpec)[] {
  const { aggregates, cell } = deps;
  return [
    {
      method: 'GET',
      path: '/os-aggregates',
      query: noParamsQueries,
      handler: async (call) => {
        call.authorize(AggregatePolicy.index, {});
        return {
          aggregates: (await aggregates.list()).map((a) => aggregateView.render(a, call.version)),
        };
      },
    },
    {
      method: 'POST',
      path: '/os-aggregates',
      body: aggregateCreateSchemas,
      handler: async (call: ApiCall<AggregateBodies['create']>) => {
        call.authorize(AggregatePolicy.create, {});
        const zone = call.body.aggregate.availability_zone?.trim() || null;
        const a = await aggregates.create(call.body.aggregate.name.trim(), zone);
        return { aggregate: aggregateCreatedView.render(a, call.version) };
      },
    },
    {
      method: 'GET',
      path: '/os-aggregates/:id',
      query: noParamsQueries,
      handler: async (call) => {
        call.authorize(AggregatePolicy.show, {});
        return body(call, await aggregates.get(aggregateId(call)));
      },
    },
    {
      method: 'PUT',
      path: '/os-aggregates/:id',
      body: aggregateUpdateSchemas,
      handler: async (call: ApiCall<AggregateBodies['update']>) => {
        call.authorize(AggregatePolicy.update, {});
        const id = aggregateId(call);
        const { name, ...rest } = call.body.aggregate;
        let a = await aggregates.get(id);
        if (name !== undefined) await aggregates.rename(id, name.trim());
        if ('availability_zone' in rest) {
          await checkZoneChange(aggregates, cell, rest, a, {
            action: 'update',
            checkServers: true,
          });
          await aggregates.updateMetadata(id, {
            availability_zone: rest.availability_zone ?? null,
          });
        }
        a = await aggregates.get(id);
        return body(call, a);
      },
    },
    {
      method: 'DELETE',
      path: '/os-aggregates/:id',
      handler: async (call) => {
        call.authorize(AggregatePolicy.delete, {});
        const a = await aggregates.get(aggregateId(call));
        if (a.hosts.length > 0)
          throw invalidAggregateAction('delete', a.id, 'Host aggregate is not empty');
        await aggregates.delete(a.id);
        return undefined;
      },
    },
    {
      method: 'POST',
      path: '/os-aggregates/:id/action',
      actions: {
        add_host: {
          body: addHostSchemas,
          handler: async (call: ApiCall<AggregateBodies['host']>) => {
            const host = call.body.add_host!.host;
            call.authorize(AggregatePolicy.addHost, {});
            const id = aggregateId(call);
            if (!(await computeHost(deps, host)))
              throw new NotFoundError(`Compute host ${host} could not be found.`);
            const a = await aggregates.get(id);
            await checkZoneChange(aggregates, cell, a.metadata, a, {
              hosts: [host],
              action: 'add_host',
              checkServers: false,
            });
            await checkHostKeepsZone(aggregates, cell, a, host, true);
            await aggregates.addHost(id, host);
            await deps.aggregateMirror.hostAdded(a.uuid, host);
            return body(call, await aggregates.get(id));
          },
        },
        remove_host: {
          body: removeHostSchemas,
          handler: async (call: ApiCall<AggregateBodies['host']>) => {
            const host = call.body.remove_host!.host;
            call.authorize(AggregatePolicy.removeHost, {});
            const id = aggregateId(call);
            const cannot = new NotFoundError(`Cannot remove host ${host} in aggregate ${id}`);
            if (!(await computeHost(deps, host))) throw cannot;
            const a = await aggregates.get(id).catch(() => {
              throw cannot;
            });
            await checkHostKeepsZone(aggregates, cell, a, host, false);
            if (!(await aggregates.removeHost(id, host))) throw cannot;
            await deps.aggregateMirror.hostRemoved(a.uuid, host);
            return body(call, await aggregates.get(id));
          },
        },
        set_metadata: {
          body: setMetadataSchemas,
          handler: async (call: ApiCall<AggregateBodies['metadata']>) => {
            call.authorize(AggregatePolicy.setMetadata, {});
            const id = aggregateId(call);
            const metadata = call.body.set_metadata.metadata;
            const a = await aggregates.get(id);
            await checkZoneChange(aggregates, cell, metadata, a, {
              action: 'update_metadata',
              checkServers: true,
            });
            await aggregates.updateMetadata(id, metadata);
            return body(call, await aggregates.get(id));
          },
        },
      },
    },
    {
      method: 'POST',
      path: '/os-aggregates/:id/images',
      body: aggregateImagesSchemas,
      status: 202,
      handler: new Versioned<Handler>([
        [
          ['2.81'],
          async (call: ApiCall<AggregateBodies['images']>) => {
            call.authorize(AggregatePolicy.images, {});
            const id = aggregateId(call);
            const ids = call.body.cache.map((c) => c.id);
            if (new Set(ids).size !== ids.length)
              throw new BadRequestError('Duplicate images in request');
            const a = await aggregates.get(id);
            await deps.imageCache.request(a.hosts, ids, call.req.id);
            return undefined;
          },
        ],
      ]),
    },
  ];
}
