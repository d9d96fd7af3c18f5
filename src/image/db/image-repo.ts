import type { Kysely, Transaction, Updateable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import { toDbBoolean } from '../../platform/db/booleans.js';
import type { Database } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/db-errors.js';
import { now } from '../../platform/db/timestamps.js';
import { withTransaction } from '../../platform/db/with-transaction.js';
import type { ImageRecord, ImageStatus, MutableImageFields } from '../domain/image.js';
import { toImageRecord } from './image-row.js';
import type { ImageDb, ImagesTable } from './image-tables.js';

/** An image id that exists already (deleted images keep their id). */
export class DuplicateImageError extends Error {}

/** What creating an image needs. */
export interface NewImage extends MutableImageFields {
  id: string;
  properties: Record<string, string>;
  tags: string[];
}

/** Columns a status change may set together with the status. */
export type StatusChange = Pick<
  Updateable<ImagesTable>,
  | 'size'
  | 'virtual_size'
  | 'checksum'
  | 'os_hash_algo'
  | 'os_hash_value'
  | 'location'
  | 'worker_host'
  | 'last_error'
>;

type Db = Kysely<ImageDb> | Transaction<ImageDb>;

/**
 * The image records: create, read, read-modify-write updates in one transaction, guarded status
 * changes (`UPDATE … WHERE status = from`, Glance's `from_state`) and soft deletion.
 */
export class ImageRepo {
  private readonly db: Kysely<ImageDb>;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {
    this.db = database.kysely as Kysely<ImageDb>;
  }

  /** Inserts a queued image with its properties and tags; DuplicateImageError if the id exists. */
  async create(image: NewImage): Promise<ImageRecord> {
    const ts = now(this.clock);
    try {
      await withTransaction(this.database as Database<ImageDb>, async (trx) => {
        await trx
          .insertInto('images')
          .values({
            id: image.id,
            name: image.name,
            size: null,
            virtual_size: null,
            status: 'queued',
            visibility: image.visibility,
            checksum: null,
            os_hash_algo: null,
            os_hash_value: null,
            min_disk: image.minDisk,
            min_ram: image.minRam,
            owner: image.owner,
            protected: toDbBoolean(image.protected),
            os_hidden: toDbBoolean(image.osHidden),
            disk_format: image.diskFormat,
            container_format: image.containerFormat,
            created_at: ts,
            updated_at: ts,
            deleted: 0,
            deleted_at: null,
            location: null,
            worker_host: null,
            last_error: null,
          })
          .execute();
        await this.writeChildren(trx, image.id, image.properties, image.tags);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateImageError(image.id, { cause: err });
      throw err;
    }
    return (await this.get(image.id))!;
  }

  /** The image with this id, or undefined (deleted images only when asked for). */
  async get(id: string, opts: { includeDeleted?: boolean } = {}): Promise<ImageRecord | undefined> {
    return this.read(this.db, id, opts.includeDeleted ?? false);
  }

  /** Images by id with their properties and tags, in the order of `ids` (for lists). */
  async getMany(ids: readonly string[]): Promise<ImageRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('images').selectAll().where('id', 'in', ids).execute();
    const props = await this.db
      .selectFrom('image_properties')
      .selectAll()
      .where('image_id', 'in', ids)
      .execute();
    const tags = await this.db
      .selectFrom('image_tags')
      .selectAll()
      .where('image_id', 'in', ids)
      .orderBy('value')
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      if (!row) return [];
      const p: Record<string, string> = {};
      for (const x of props) if (x.image_id === id) p[x.name] = x.value;
      return [
        toImageRecord(
          row,
          p,
          tags.filter((t) => t.image_id === id).map((t) => t.value),
        ),
      ];
    });
  }

  /**
   * Reads the image, lets `change` return its new mutable fields, properties and tags, and writes
   * them back in the same transaction (so two PATCHes cannot lose each other's changes). Status
   * and data attributes are not written here: uploads own those. Undefined if the image is gone.
   */
  async update(
    id: string,
    change: (image: ImageRecord) => ImageRecord | Promise<ImageRecord>,
  ): Promise<ImageRecord | undefined> {
    return withTransaction(this.database as Database<ImageDb>, async (trx) => {
      const current = await this.read(trx, id, false);
      if (!current) return undefined;
      const next = await change(structuredClone(current));
      await trx
        .updateTable('images')
        .set({
          name: next.name,
          visibility: next.visibility,
          min_disk: next.minDisk,
          min_ram: next.minRam,
          owner: next.owner,
          protected: toDbBoolean(next.protected),
          os_hidden: toDbBoolean(next.osHidden),
          disk_format: next.diskFormat,
          container_format: next.containerFormat,
          updated_at: now(this.clock),
        })
        .where('id', '=', id)
        .execute();
      await trx.deleteFrom('image_properties').where('image_id', '=', id).execute();
      await trx.deleteFrom('image_tags').where('image_id', '=', id).execute();
      await this.writeChildren(trx, id, next.properties, next.tags);
      return (await this.read(trx, id, false))!;
    });
  }

  /**
   * Moves the image from one of `from` to `to`, setting `change` with it, only if it is still
   * in one of `from` and not deleted; returns whether it did (Glance's save with from_state).
   */
  async transition(
    id: string,
    from: ImageStatus | readonly ImageStatus[],
    to: ImageStatus,
    change: StatusChange = {},
  ): Promise<boolean> {
    const froms = typeof from === 'string' ? [from] : [...from];
    const res = await this.db
      .updateTable('images')
      .set({ ...change, status: to, updated_at: now(this.clock) })
      .where('id', '=', id)
      .where('deleted', '=', 0)
      .where('status', 'in', froms)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Records why the last upload or import failed, without touching the status. */
  async recordError(id: string, reason: string): Promise<void> {
    await this.db.updateTable('images').set({ last_error: reason }).where('id', '=', id).execute();
  }

  /**
   * Marks the image deleted and removes its properties, tags and members, in one transaction.
   * Returns the image as it was, or undefined when it was already gone.
   */
  async softDelete(id: string): Promise<ImageRecord | undefined> {
    return withTransaction(this.database as Database<ImageDb>, async (trx) => {
      const current = await this.read(trx, id, false);
      if (!current) return undefined;
      const ts = now(this.clock);
      await trx
        .updateTable('images')
        .set({ status: 'deleted', deleted: 1, deleted_at: ts, updated_at: ts })
        .where('id', '=', id)
        .execute();
      await trx.deleteFrom('image_properties').where('image_id', '=', id).execute();
      await trx.deleteFrom('image_tags').where('image_id', '=', id).execute();
      await trx.deleteFrom('image_members').where('image_id', '=', id).execute();
      return current;
    });
  }

  /** Images of this host stuck in `statuses` (an upload or import cut short by a crash). */
  async listInterrupted(host: string, statuses: readonly ImageStatus[]): Promise<ImageRecord[]> {
    const rows = await this.db
      .selectFrom('images')
      .select('id')
      .where('deleted', '=', 0)
      .where('worker_host', '=', host)
      .where('status', 'in', [...statuses])
      .execute();
    return this.getMany(rows.map((r) => r.id));
  }

  private async read(
    db: Db,
    id: string,
    includeDeleted: boolean,
  ): Promise<ImageRecord | undefined> {
    let q = db.selectFrom('images').selectAll().where('id', '=', id);
    if (!includeDeleted) q = q.where('deleted', '=', 0);
    const row = await q.executeTakeFirst();
    if (!row) return undefined;
    const props = await db
      .selectFrom('image_properties')
      .select(['name', 'value'])
      .where('image_id', '=', id)
      .execute();
    const tags = await db
      .selectFrom('image_tags')
      .select('value')
      .where('image_id', '=', id)
      .orderBy('value')
      .execute();
    return toImageRecord(
      row,
      Object.fromEntries(props.map((p) => [p.name, p.value])),
      tags.map((t) => t.value),
    );
  }

  private async writeChildren(
    trx: Transaction<ImageDb>,
    id: string,
    properties: Record<string, string>,
    tags: readonly string[],
  ): Promise<void> {
    const props = Object.entries(properties);
    if (props.length > 0) {
      await trx
        .insertInto('image_properties')
        .values(props.map(([name, value]) => ({ image_id: id, name, value })))
        .execute();
    }
    const unique = [...new Set(tags)];
    if (unique.length > 0) {
      await trx
        .insertInto('image_tags')
        .values(unique.map((value) => ({ image_id: id, value })))
        .execute();
    }
  }
}
