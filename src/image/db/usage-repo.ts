import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { ImageDb } from './image-tables.js';

/** Statuses whose images count against no quota (Glance's usage queries skip them). */
const NOT_COUNTED = ['killed', 'deleted', 'pending_delete'];

/** A project's image usage, for the count and storage quotas. */
export class UsageRepo {
  private readonly db: Kysely<ImageDb>;

  constructor(database: Database) {
    this.db = database.kysely as Kysely<ImageDb>;
  }

  /** Images the project owns that are not deleted (Glance's image_count_total usage). */
  async imageCount(owner: string): Promise<number> {
    const r = await this.db
      .selectFrom('images')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('owner', '=', owner)
      .where('deleted', '=', 0)
      .where('status', 'not in', NOT_COUNTED)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /**
   * Bytes the project stores, optionally leaving one image out (the one being uploaded, whose
   * old size is being replaced), as Glance's user_get_storage_usage. Images being uploaded or
   * staged count with the size recorded so far.
   */
  async storedBytes(owner: string, exceptImageId?: string): Promise<number> {
    let q = this.db
      .selectFrom('images')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('total'))
      .where('owner', '=', owner)
      .where('deleted', '=', 0)
      .where('size', '>', 0)
      .where('status', 'not in', NOT_COUNTED);
    if (exceptImageId !== undefined) q = q.where('id', '!=', exceptImageId);
    const r = await q.executeTakeFirstOrThrow();
    return Number(r.total);
  }
}
