import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { ApiDatabase } from '../api-db-tables.js';
import type { HostAggregateSource } from './host-aggregate-source.js';

/**
 * Host zones and aggregate metadata from the compute API database, as Nova's scheduler reads
 * them: a host's zone is the `availability_zone` metadata of an aggregate it is in.
 */
export class DbAggregateSource implements HostAggregateSource {
  private readonly db: Kysely<ApiDatabase>;

  constructor(database: Database) {
    this.db = database.kysely as Kysely<ApiDatabase>;
  }

  async forHosts(hosts: string[]) {
    const out = new Map<
      string,
      { availabilityZone: string | null; metadata: Record<string, string[]> }
    >();
    if (hosts.length === 0) return out;
    const rows = await this.db
      .selectFrom('aggregate_hosts as h')
      .innerJoin('aggregate_metadata as m', 'm.aggregate_id', 'h.aggregate_id')
      .select(['h.host', 'm.key', 'm.value'])
      .where('h.host', 'in', hosts)
      .execute();
    for (const r of rows) {
      const entry = out.get(r.host) ?? { availabilityZone: null, metadata: {} };
      (entry.metadata[r.key] ??= []).push(r.value);
      if (r.key === 'availability_zone') entry.availabilityZone = r.value;
      out.set(r.host, entry);
    }
    return out;
  }
}
