import type { Selectable } from 'kysely';
import { fromDbBoolean, toDbBoolean } from '../../platform/db/booleans.js';
import type { Database } from '../../platform/db/database.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../platform/db/db-errors.js';
import { toJsonColumn } from '../../platform/db/json-column.js';
import { duplicate, forbidden, notFound } from '../identity-errors.js';
import { identityDb, readObject, type Extra, type IdentityDb } from './rows.js';
import type { EndpointsTable, RegionsTable, ServicesTable } from './tables.js';

/** A catalog service. */
export interface Service {
  id: string;
  type: string;
  name: string | null;
  description: string | null;
  enabled: boolean;
  extra: Extra;
}

/** A catalog endpoint. */
export interface Endpoint {
  id: string;
  serviceId: string;
  interface: 'public' | 'internal' | 'admin';
  regionId: string | null;
  url: string;
  enabled: boolean;
  extra: Extra;
}

/** A region. */
export interface Region {
  id: string;
  description: string;
  parentRegionId: string | null;
  extra: Extra;
}

function toService(r: Selectable<ServicesTable>): Service {
  return {
    id: r.id,
    type: r.type,
    name: r.name,
    description: r.description,
    enabled: fromDbBoolean(r.enabled),
    extra: readObject(r.extra, 'identity_services.extra'),
  };
}

function toEndpoint(r: Selectable<EndpointsTable>): Endpoint {
  return {
    id: r.id,
    serviceId: r.service_id,
    interface: r.interface as Endpoint['interface'],
    regionId: r.region_id,
    url: r.url,
    enabled: fromDbBoolean(r.enabled),
    extra: readObject(r.extra, 'identity_endpoints.extra'),
  };
}

function toRegion(r: Selectable<RegionsTable>): Region {
  return {
    id: r.id,
    description: r.description,
    parentRegionId: r.parent_region_id,
    extra: readObject(r.extra, 'identity_regions.extra'),
  };
}

/** Services, endpoints and regions: the service catalog. */
export class CatalogStore {
  private readonly db: IdentityDb;

  constructor(database: Database) {
    this.db = identityDb(database);
  }

  /** Creates a service. */
  async createService(s: Service): Promise<Service> {
    await this.db
      .insertInto('identity_services')
      .values({
        id: s.id,
        type: s.type,
        name: s.name,
        description: s.description,
        enabled: toDbBoolean(s.enabled),
        extra: toJsonColumn(s.extra),
      })
      .execute();
    return s;
  }

  /** A service by id; 404 when it does not exist. */
  async getService(id: string): Promise<Service> {
    const r = await this.db
      .selectFrom('identity_services')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!r) throw notFound('service', id);
    return toService(r);
  }

  /** Services, optionally of one type. */
  async listServices(filter: { type?: string } = {}): Promise<Service[]> {
    let q = this.db.selectFrom('identity_services').selectAll().orderBy('type').orderBy('id');
    if (filter.type) q = q.where('type', '=', filter.type);
    return (await q.execute()).map(toService);
  }

  /** Replaces a service's fields. */
  async updateService(s: Service): Promise<Service> {
    await this.db
      .updateTable('identity_services')
      .set({
        type: s.type,
        name: s.name,
        description: s.description,
        enabled: toDbBoolean(s.enabled),
        extra: toJsonColumn(s.extra),
      })
      .where('id', '=', s.id)
      .execute();
    return s;
  }

  /** Deletes a service and its endpoints (ON DELETE CASCADE, as keystone does). */
  async deleteService(id: string): Promise<void> {
    await this.getService(id);
    await this.db.deleteFrom('identity_services').where('id', '=', id).execute();
  }

  /** Creates an endpoint. */
  async createEndpoint(e: Endpoint): Promise<Endpoint> {
    await this.db
      .insertInto('identity_endpoints')
      .values({
        id: e.id,
        service_id: e.serviceId,
        interface: e.interface,
        region_id: e.regionId,
        url: e.url,
        enabled: toDbBoolean(e.enabled),
        extra: toJsonColumn(e.extra),
      })
      .execute();
    return e;
  }

  /** An endpoint by id; 404 when it does not exist. */
  async getEndpoint(id: string): Promise<Endpoint> {
    const r = await this.db
      .selectFrom('identity_endpoints')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!r) throw notFound('endpoint', id);
    return toEndpoint(r);
  }

  /** Endpoints, optionally of one service, interface or region. */
  async listEndpoints(
    filter: { serviceId?: string; interface?: string; regionId?: string } = {},
  ): Promise<Endpoint[]> {
    let q = this.db
      .selectFrom('identity_endpoints')
      .selectAll()
      .orderBy('service_id')
      .orderBy('id');
    if (filter.serviceId) q = q.where('service_id', '=', filter.serviceId);
    if (filter.interface) q = q.where('interface', '=', filter.interface);
    if (filter.regionId) q = q.where('region_id', '=', filter.regionId);
    return (await q.execute()).map(toEndpoint);
  }

  /** Replaces an endpoint's fields. */
  async updateEndpoint(e: Endpoint): Promise<Endpoint> {
    await this.db
      .updateTable('identity_endpoints')
      .set({
        service_id: e.serviceId,
        interface: e.interface,
        region_id: e.regionId,
        url: e.url,
        enabled: toDbBoolean(e.enabled),
        extra: toJsonColumn(e.extra),
      })
      .where('id', '=', e.id)
      .execute();
    return e;
  }

  /** Deletes an endpoint. */
  async deleteEndpoint(id: string): Promise<void> {
    await this.getEndpoint(id);
    await this.db.deleteFrom('identity_endpoints').where('id', '=', id).execute();
  }

  /** Creates a region; a duplicate id is a 409. */
  async createRegion(r: Region): Promise<Region> {
    try {
      await this.db
        .insertInto('identity_regions')
        .values({
          id: r.id,
          description: r.description,
          parent_region_id: r.parentRegionId,
          extra: toJsonColumn(r.extra),
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('region', 'ID', r.id);
      throw err;
    }
    return r;
  }

  /** A region by id, or undefined. */
  async findRegion(id: string): Promise<Region | undefined> {
    const r = await this.db
      .selectFrom('identity_regions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r && toRegion(r);
  }

  /** A region by id; 404 when it does not exist. */
  async getRegion(id: string): Promise<Region> {
    const r = await this.findRegion(id);
    if (!r) throw notFound('region', id);
    return r;
  }

  /** Regions, optionally children of one region. */
  async listRegions(filter: { parentRegionId?: string } = {}): Promise<Region[]> {
    let q = this.db.selectFrom('identity_regions').selectAll().orderBy('id');
    if (filter.parentRegionId) q = q.where('parent_region_id', '=', filter.parentRegionId);
    return (await q.execute()).map(toRegion);
  }

  /** Replaces a region's fields. */
  async updateRegion(r: Region): Promise<Region> {
    await this.db
      .updateTable('identity_regions')
      .set({
        description: r.description,
        parent_region_id: r.parentRegionId,
        extra: toJsonColumn(r.extra),
      })
      .where('id', '=', r.id)
      .execute();
    return r;
  }

  /** Deletes a region that has no endpoints and no child regions (keystone: 403 otherwise). */
  async deleteRegion(id: string): Promise<void> {
    await this.getRegion(id);
    try {
      await this.db.deleteFrom('identity_regions').where('id', '=', id).execute();
    } catch (err) {
      if (isForeignKeyViolation(err)) {
        throw forbidden(
          `Unable to delete region ${id} because it or its child regions have associated endpoints.`,
        );
      }
      throw err;
    }
  }
}
