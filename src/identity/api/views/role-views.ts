import type { FastifyRequest } from 'fastify';
import type { Role } from '../../store/role-store.js';
import { selfLinks } from '../links.js';

/** A role as keystone renders it. */
export function renderRole(req: FastifyRequest, r: Role): Record<string, unknown> {
  return {
    ...r.extra,
    id: r.id,
    name: r.name,
    domain_id: r.domainId,
    description: r.description,
    options: r.options,
    links: selfLinks(req, `roles/${r.id}`),
  };
}

/** The short role form implied-role responses use: id, name and links. */
export function renderRoleRef(req: FastifyRequest, r: Role): Record<string, unknown> {
  return { id: r.id, name: r.name, links: selfLinks(req, `roles/${r.id}`) };
}
