import type { FastifyRequest } from 'fastify';
import type { Endpoint, Region, Service } from '../../store/catalog-store.js';
import { selfLinks } from '../links.js';

/** A service; keystone keeps name and description as extra attributes, absent when unset. */
export function renderService(req: FastifyRequest, s: Service): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...s.extra,
    id: s.id,
    type: s.type,
    enabled: s.enabled,
    links: selfLinks(req, `services/${s.id}`),
  };
  if (s.name !== null) out.name = s.name;
  if (s.description !== null) out.description = s.description;
  return out;
}

/** An endpoint, with the legacy `region` beside `region_id` as keystone renders it. */
export function renderEndpoint(req: FastifyRequest, e: Endpoint): Record<string, unknown> {
  return {
    ...e.extra,
    id: e.id,
    interface: e.interface,
    region_id: e.regionId,
    region: e.regionId,
    service_id: e.serviceId,
    url: e.url,
    enabled: e.enabled,
    links: selfLinks(req, `endpoints/${e.id}`),
  };
}

/** A region. */
export function renderRegion(req: FastifyRequest, r: Region): Record<string, unknown> {
  return {
    ...r.extra,
    id: r.id,
    description: r.description,
    parent_region_id: r.parentRegionId,
    links: selfLinks(req, `regions/${r.id}`),
  };
}
