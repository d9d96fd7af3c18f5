import type { IdentityStore } from '../store/identity-store.js';

/** One endpoint of a token's catalog. */
export interface CatalogEndpoint {
  id: string;
  interface: string;
  region: string | null;
  region_id: string | null;
  url: string;
}

/** One service of a token's catalog, in keystone's v3 shape. */
export interface CatalogService {
  endpoints: CatalogEndpoint[];
  id: string;
  type: string;
  name: string;
}

// Endpoint URL templates keystone substitutes: `$(project_id)s`, `%(tenant_id)s` and friends.
const TEMPLATE = /[$%]\((project_id|tenant_id)\)s/g;

/**
 * Builds the v3 service catalog: enabled services with their enabled endpoints, project ids
 * substituted into templated URLs; an endpoint whose URL needs a project is left out of a catalog
 * without one, as keystone does.
 */
export async function buildCatalog(
  store: IdentityStore,
  projectId: string | null,
): Promise<CatalogService[]> {
  const [services, endpoints] = await Promise.all([
    store.catalog.listServices(),
    store.catalog.listEndpoints(),
  ]);
  const out: CatalogService[] = [];
  for (const s of services) {
    if (!s.enabled) continue;
    const eps: CatalogEndpoint[] = [];
    for (const e of endpoints) {
      if (e.serviceId !== s.id || !e.enabled) continue;
      const needsProject = e.url.match(TEMPLATE) !== null;
      if (needsProject && !projectId) continue;
      eps.push({
        id: e.id,
        interface: e.interface,
        region: e.regionId,
        region_id: e.regionId,
        url: projectId ? e.url.replace(TEMPLATE, projectId) : e.url,
      });
    }
    out.push({ endpoints: eps, id: s.id, type: s.type, name: s.name ?? '' });
  }
  return out;
}
