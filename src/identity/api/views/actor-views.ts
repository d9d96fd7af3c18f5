import type { FastifyRequest } from 'fastify';
import type { Group } from '../../store/group-store.js';
import type { User } from '../../store/user-store.js';
import { selfLinks } from '../links.js';

/** A user as keystone renders it: extra attributes, columns, never the password. */
export function renderUser(req: FastifyRequest, u: User): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...u.extra,
    id: u.id,
    name: u.name,
    domain_id: u.domainId,
    enabled: u.enabled,
    password_expires_at: null,
    options: u.options,
    links: selfLinks(req, `users/${u.id}`),
  };
  // Keystone leaves out an unset default project.
  if (u.defaultProjectId) out.default_project_id = u.defaultProjectId;
  return out;
}

/** A group as keystone renders it. */
export function renderGroup(req: FastifyRequest, g: Group): Record<string, unknown> {
  return {
    ...g.extra,
    id: g.id,
    name: g.name,
    domain_id: g.domainId,
    description: g.description ?? '',
    links: selfLinks(req, `groups/${g.id}`),
  };
}
