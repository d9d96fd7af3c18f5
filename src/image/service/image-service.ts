import type { Logger } from 'pino';
import type { IdGenerator } from '../../common/ids.js';
import type { RequestContext } from '../../platform/auth/request-context.js';
import type { Database } from '../../platform/db/database.js';
import type { ImageDataStore } from '../backend/image-data-store.js';
import {
  listImageIds,
  type ColumnFilter,
  type ImageListQuery,
  type SortKey,
} from '../db/image-list-query.js';
import { DuplicateImageError, type ImageRepo } from '../db/image-repo.js';
import type { MemberRepo } from '../db/member-repo.js';
import {
  badRequest,
  conflict,
  forbidden,
  GlanceError,
  notFound,
  overLimit,
} from '../domain/glance-error.js';
import type { ImageRecord, Visibility } from '../domain/image.js';
import type { ImageAuthorizer } from './image-authorizer.js';
import { applyPatch, type PatchChange } from './image-patch.js';
import type { ImageQuotas } from './image-quotas.js';

/** A create request, validated by the API layer. */
export interface CreateImageRequest {
  id?: string;
  name?: string | null;
  visibility?: Visibility;
  minDisk?: number;
  minRam?: number;
  owner?: string | null;
  protected?: boolean;
  osHidden?: boolean;
  diskFormat?: string | null;
  containerFormat?: string | null;
  /** Read-only attributes the body tried to set (refused after policy and quota checks). */
  readOnlyGiven: string[];
  properties: Record<string, string>;
  tags: string[];
}

/** A list request, validated by the API layer. */
export interface ListImagesRequest {
  memberStatus: ImageListQuery['memberStatus'];
  visibility?: Visibility | 'all';
  osHidden: boolean;
  columns: ColumnFilter[];
  properties: { name: string; value: string }[];
  tags: string[];
  sortKeys: SortKey[];
  sortDirs: ('asc' | 'desc')[];
  limit?: number;
  marker?: string;
}

/** Properties the image factory refuses on create (Glance's ImageFactory._reserved_properties). */
const FACTORY_RESERVED = [
  'owner',
  'locations',
  'deleted',
  'deleted_at',
  'direct_url',
  'self',
  'file',
  'schema',
];

/** What the image service is built from. */
export interface ImageServiceDeps {
  database: Database;
  repo: ImageRepo;
  members: MemberRepo;
  authz: ImageAuthorizer;
  quotas: ImageQuotas;
  store: ImageDataStore;
  staging: ImageDataStore & { locationOf(imageId: string): string };
  ids: IdGenerator;
  logger: Logger;
  limitParamDefault: number;
  apiLimitMax: number;
}

/**
 * Image records as Glance's ImagesController, ImageTagsController and image actions: create,
 * list, show, JSON-patch update, delete, deactivate/reactivate and tags, with Glance's
 * visibility rules, policies and quotas.
 */
export class ImageService {
  constructor(private readonly d: ImageServiceDeps) {}

  /** True when the DB-level visibility rules let the caller see the image (is_image_visible). */
  async isVisible(ctx: RequestContext, image: ImageRecord): Promise<boolean> {
    if (this.d.authz.isAdmin(ctx) || image.owner === null) return true;
    if (image.visibility === 'public' || image.visibility === 'community') return true;
    if (ctx.projectId === null) return false;
    if (ctx.projectId === image.owner) return true;
    return image.visibility === 'shared' && !!(await this.d.members.get(image.id, ctx.projectId));
  }

  /** The image if it exists and the caller may see it, else a 404 with `message`. */
  async findVisible(ctx: RequestContext, id: string, message?: string): Promise<ImageRecord> {
    const image = await this.d.repo.get(id);
    if (!image || !(await this.isVisible(ctx, image))) {
      throw notFound(message ?? `No image found with ID ${id}`);
    }
    return image;
  }

  /** Shows an image (get_image). */
  async show(ctx: RequestContext, id: string): Promise<ImageRecord> {
    const image = await this.findVisible(ctx, id);
    this.d.authz.enforce('get_image', ctx, image);
    return image;
  }

  /** Creates a queued image. */
  async create(ctx: RequestContext, req: CreateImageRequest): Promise<ImageRecord> {
    const owner = req.owner === undefined ? ctx.projectId : req.owner;
    this.d.authz.enforceCreate(ctx, owner, req.visibility);
    await this.d.quotas.checkImageCount(ctx.projectId);
    const tagLimit = this.d.quotas.tagLimitMessage(req.tags);
    if (tagLimit) throw overLimit(tagLimit);
    if (req.readOnlyGiven.length > 0) {
      throw forbidden(`Attribute '${req.readOnlyGiven[0]}' is read-only.`);
    }
    const reserved = FACTORY_RESERVED.find((k) => k in req.properties);
    if (reserved) throw forbidden(`Attribute '${reserved}' is reserved.`);
    for (const key of ['minDisk', 'minRam'] as const) {
      const v = req[key];
      const name = key === 'minDisk' ? 'min_disk' : 'min_ram';
      if (v !== undefined && v < 0) {
        throw badRequest(
          `Invalid value '${v}' for parameter '${name}': Cannot be a negative value`,
        );
      }
      if (v !== undefined && v > 2147483647) {
        throw badRequest(`'${name}' value out of range, must not exceed 2147483647`);
      }
    }
    this.d.quotas.checkProperties(req.properties);
    const id = req.id ?? this.d.ids.uuid();
    try {
      return await this.d.repo.create({
        id,
        name: req.name ?? null,
        visibility: req.visibility ?? 'shared',
        minDisk: req.minDisk ?? 0,
        minRam: req.minRam ?? 0,
        owner,
        protected: req.protected ?? false,
        osHidden: req.osHidden ?? false,
        diskFormat: req.diskFormat ?? null,
        containerFormat: req.containerFormat ?? null,
        properties: req.properties,
        tags: req.tags,
      });
    } catch (err) {
      if (err instanceof DuplicateImageError) throw conflict(`Image ID ${id} already exists!`);
      throw err;
    }
  }

  /** One page of the images the caller may see, and the marker of the next page if any. */
  async list(
    ctx: RequestContext,
    req: ListImagesRequest,
  ): Promise<{ images: ImageRecord[]; nextMarker?: string }> {
    const limit = Math.min(this.d.apiLimitMax, req.limit ?? this.d.limitParamDefault);
    this.d.authz.enforceList(ctx);
    let marker: ImageRecord | undefined;
    if (req.marker !== undefined) {
      marker = await this.d.repo.get(req.marker);
      if (!marker) throw badRequest(`No image found with ID ${req.marker}`);
      if (!(await this.isVisible(ctx, marker))) {
        throw forbidden(`Forbidding request, image ${req.marker} not visible`);
      }
    }
    const keys = [...req.sortKeys];
    const dirs = [...req.sortDirs];
    // One direction given applies to every key; created_at and id make the order total.
    const defaultDir = dirs.length === 1 ? dirs[0]! : 'desc';
    while (dirs.length < keys.length) dirs.push(defaultDir);
    for (const k of ['created_at', 'id'] as const) {
      if (!keys.includes(k)) {
        keys.push(k);
        dirs.push(defaultDir);
      }
    }
    const isAdmin = this.d.authz.isAdmin(ctx);
    const ids = await listImageIds(this.d.database, {
      viewer: { projectId: ctx.projectId, isAdmin },
      memberStatus: req.memberStatus,
      ...(req.visibility === undefined ? {} : { visibility: req.visibility }),
      osHidden: req.osHidden,
      columns: req.columns,
      properties: req.properties,
      tags: req.tags,
      sort: keys.map((key, i) => ({ key, dir: dirs[i]! })),
      ...(marker ? { marker } : {}),
      limit,
    });
    const images = (await this.d.repo.getMany(ids)).filter((i) =>
      this.d.authz.check('get_image', ctx, i),
    );
    // As Glance: a full page from the database means there may be more, even if policy
    // filtered some of it out.
    const last = images[images.length - 1];
    return last && ids.length === limit ? { images, nextMarker: last.id } : { images };
  }

  /** Applies JSON-patch operations (empty: returns the image unchanged). */
  async update(ctx: RequestContext, id: string, changes: PatchChange[]): Promise<ImageRecord> {
    const image = await this.findVisible(ctx, id);
    if (changes.length === 0) return image;
    const updated = await this.d.repo.update(id, (fresh) =>
      applyPatch(ctx, fresh, changes, this.d.authz, this.d.quotas),
    );
    if (!updated) throw notFound(`No image found with ID ${id}`);
    return updated;
  }

  /** Deletes an image and then its data (and any staged data). */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    const image = await this.findVisible(ctx, id, `Failed to find image ${id} to delete`);
    this.d.authz.enforce('delete_image', ctx, image);
    if (image.protected) throw forbidden(`Image ${id} is protected and cannot be deleted.`);
    const was = await this.d.repo.softDelete(id);
    if (!was) throw notFound(`Failed to find image ${id} to delete`);
    // The record is gone first: a crash here leaves only unreferenced data, which start-up
    // cleanup removes, never a record pointing at missing data.
    if (was.location) await this.d.store.delete(was.location);
    await this.d.staging.delete(this.d.staging.locationOf(id));
  }

  /** Deactivates an active image (a no-op when it is deactivated already). */
  async deactivate(ctx: RequestContext, id: string): Promise<void> {
    await this.toggle(ctx, id, 'deactivate', 'active', 'deactivated');
  }

  /** Reactivates a deactivated image (a no-op when it is active already). */
  async reactivate(ctx: RequestContext, id: string): Promise<void> {
    await this.toggle(ctx, id, 'reactivate', 'deactivated', 'active');
  }

  private async toggle(
    ctx: RequestContext,
    id: string,
    action: 'deactivate' | 'reactivate',
    from: 'active' | 'deactivated',
    to: 'active' | 'deactivated',
  ): Promise<void> {
    const image = await this.findVisible(ctx, id);
    this.d.authz.enforce(action, ctx, image);
    if (image.status === to) return;
    if (image.status !== from || !(await this.d.repo.transition(id, from, to))) {
      throw forbidden(`Not allowed to ${action} image in status '${image.status}'`);
    }
  }

  /** Adds a tag (idempotent). */
  async addTag(ctx: RequestContext, id: string, tag: string): Promise<void> {
    const image = await this.findVisible(ctx, id, `Image ${id} not found.`);
    this.d.authz.enforce('modify_image', ctx, image);
    const updated = await this.d.repo.update(id, (fresh) => {
      if (!fresh.tags.includes(tag)) fresh.tags.push(tag);
      const over = this.d.quotas.tagLimitMessage(fresh.tags);
      if (over) throw overLimit(`Image tag limit exceeded for image ${id}: ${over}:`);
      return fresh;
    });
    if (!updated) throw notFound(`Image ${id} not found.`);
  }

  /** Removes a tag; 404 when the image does not have it. */
  async removeTag(ctx: RequestContext, id: string, tag: string): Promise<void> {
    const image = await this.findVisible(ctx, id, `Image ${id} not found.`);
    this.d.authz.enforce('modify_image', ctx, image);
    const updated = await this.d.repo.update(id, (fresh) => {
      if (!fresh.tags.includes(tag)) throw new GlanceError(404);
      fresh.tags = fresh.tags.filter((t) => t !== tag);
      return fresh;
    });
    if (!updated) throw notFound(`Image ${id} not found.`);
  }
}
