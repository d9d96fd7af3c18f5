import type { FastifyRequest } from 'fastify';
import type { Project } from '../../store/resource-store.js';
import { selfLinks } from '../links.js';

/**
 * A project as keystone renders it; a top-level project's `parent_id` is its domain, because
 * keystone models domains as projects acting as domains.
 */
export function renderProject(req: FastifyRequest, p: Project): Record<string, unknown> {
  return {
    ...p.extra,
    id: p.id,
    name: p.name,
    domain_id: p.domainId,
    description: p.description ?? '',
    enabled: p.enabled,
    parent_id: p.parentId ?? p.domainId,
    is_domain: false,
    tags: p.tags,
    options: {},
    links: selfLinks(req, `projects/${p.id}`),
  };
}
