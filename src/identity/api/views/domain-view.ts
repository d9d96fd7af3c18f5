import type { FastifyRequest } from 'fastify';
import type { Domain } from '../../store/resource-store.js';
import { selfLinks } from '../links.js';

/** A domain as keystone renders it: its extra attributes, then its columns and links. */
export function renderDomain(req: FastifyRequest, d: Domain): Record<string, unknown> {
  return {
    ...d.extra,
    id: d.id,
    name: d.name,
    description: d.description ?? '',
    enabled: d.enabled,
    tags: [],
    options: {},
    links: selfLinks(req, `domains/${d.id}`),
  };
}
