import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { RequestContext } from '../../platform/auth/request-context.js';
import type { FileStore } from '../backend/file-store.js';
import { ImageDataMissingError, type ImageDataStore } from '../backend/image-data-store.js';
import type { ImageRepo } from '../db/image-repo.js';
import {
  badRequest,
  conflict,
  forbidden,
  GlanceError,
  notFound,
  overLimit,
  unsupportedMediaType,
} from '../domain/glance-error.js';
import { canTransition, HASH_ALGORITHM, type ImageRecord } from '../domain/image.js';
import { InvalidImageDataError } from '../format/format-detector.js';
import type { ImageAuthorizer } from './image-authorizer.js';
import { StorageQuotaFullError, type ImageQuotas } from './image-quotas.js';
import type { ImageService } from './image-service.js';
import { ingest, type ByteLimit, type IngestResult } from './ingest.js';

/** The upload exceeded image_size_cap. */
class ImageSizeLimitError extends Error {}

/** What the data service is built from. */
export interface ImageDataServiceDeps {
  images: ImageService;
  repo: ImageRepo;
  authz: ImageAuthorizer;
  quotas: ImageQuotas;
  store: ImageDataStore;
  staging: FileStore;
  /** This host's name, recorded on images whose data it is receiving (crash recovery). */
  host: string;
  requireFormatMatch: boolean;
  enabledImportMethods: readonly string[];
  logger: Logger;
}

/**
 * Image data as Glance's ImageDataController and import: upload (queued → saving → active,
 * streamed through the format inspectors into the store), download, stage and glance-direct
 * import. A failed or interrupted transfer puts the image back to queued with nothing stored.
 */
export class ImageDataService {
  private readonly imports = new Set<Promise<void>>();

  constructor(private readonly d: ImageDataServiceDeps) {}

  /** Receives an image's data (PUT /v2/images/{id}/file). */
  async upload(
    ctx: RequestContext,
    id: string,
    source: Readable,
    declaredSize: number | null,
  ): Promise<void> {
    const image = await this.d.images.findVisible(ctx, id);
    this.d.authz.enforce('upload_image', ctx, image);
    this.checkCanReceive(image, 'saving');
    let remaining: number | undefined;
    try {
      remaining = await this.d.quotas.checkStorage(ctx.projectId, id, declaredSize);
      if (declaredSize !== null && declaredSize > this.d.quotas.limits.imageSizeCap) {
        throw new ImageSizeLimitError();
      }
    } catch (err) {
      throw this.toHttp(err);
    }
    if (!(await this.d.repo.transition(id, 'queued', 'saving', { worker_host: this.d.host }))) {
      throw await this.transitionConflict(id, 'saving');
    }
    let result: IngestResult | undefined;
    try {
      result = await ingest(source, {
        store: this.d.store,
        imageId: id,
        limits: this.limits(remaining),
        ...(image.containerFormat === 'bare'
          ? { inspect: { diskFormat: image.diskFormat!, requireMatch: this.d.requireFormatMatch } }
          : {}),
      });
      // Two uploads may have raced under the quota: check again with the real size.
      const after = await this.d.quotas.remainingBytes(ctx.projectId, id);
      if (after !== undefined && result.size > after) {
        throw new StorageQuotaFullError(result.size, after);
      }
    } catch (err) {
      if (result) await this.d.store.delete(result.location);
      await this.restore(id, 'saving', err);
      throw this.toHttp(err);
    }
    if (!(await this.activate(id, 'saving', result))) {
      await this.d.store.delete(result.location);
      throw new GlanceError(
        410,
        `Image ${id} could not be found after upload. The image may have been deleted during the upload, cleaning up the chunks uploaded.`,
      );
    }
  }

  /** The image whose data the caller may download (GET /v2/images/{id}/file). */
  async downloadable(ctx: RequestContext, id: string): Promise<ImageRecord> {
    const image = await this.d.images.findVisible(ctx, id);
    if (image.status === 'deactivated' && !this.d.authz.isAdmin(ctx)) {
      throw forbidden(
        'The requested image has been deactivated. Image data download is forbidden.',
      );
    }
    this.d.authz.enforce('download_image', ctx, image);
    return image;
  }

  /** Opens the data of a downloadable image; undefined when it has none (a 204 upstream). */
  async read(
    image: ImageRecord,
    range?: { start: number; end: number },
  ): Promise<Readable | undefined> {
    if (!image.location) return undefined;
    try {
      return await this.d.store.read(image.location, range);
    } catch (err) {
      if (err instanceof ImageDataMissingError) return undefined;
      throw err;
    }
  }

  /** Stages data for a glance-direct import (PUT /v2/images/{id}/stage). */
  async stage(
    ctx: RequestContext,
    id: string,
    source: Readable,
    declaredSize: number | null,
  ): Promise<void> {
    const image = await this.d.images.findVisible(ctx, id);
    this.d.authz.enforce('modify_image', ctx, image);
    this.checkCanReceive(image, 'uploading');
    if (declaredSize !== null && declaredSize > this.d.quotas.limits.imageSizeCap) {
      throw this.toHttp(new ImageSizeLimitError());
    }
    if (!(await this.d.repo.transition(id, 'queued', 'uploading', { worker_host: this.d.host }))) {
      throw await this.transitionConflict(id, 'uploading');
    }
    try {
      const staged = await ingest(source, {
        store: this.d.staging,
        imageId: id,
        limits: this.limits(undefined),
      });
      if (!(await this.d.repo.transition(id, 'uploading', 'uploading', { size: staged.size }))) {
        await this.d.staging.delete(staged.location);
        throw notFound(`No image found with ID ${id}`);
      }
    } catch (err) {
      if (err instanceof GlanceError) throw err;
      await this.d.staging.delete(this.d.staging.locationOf(id));
      await this.restore(id, 'uploading', err);
      throw this.toHttp(err);
    }
  }

  /**
   * Starts a glance-direct import of staged data (POST /v2/images/{id}/import): the image is
   * `importing` when this returns; the data is then inspected and moved into the store in the
   * background, ending `active`, or `queued` (staged data dropped) when it is refused.
   */
  async startImport(
    ctx: RequestContext,
    id: string,
    method: string,
    allStoresMustSucceed: boolean,
  ): Promise<void> {
    const image = await this.d.images.findVisible(ctx, id);
    if (image.status === 'active') {
      throw conflict('Image with status active cannot be target for import');
    }
    if (method === 'glance-direct' && image.status !== 'uploading') {
      throw conflict("Image needs to be staged before 'glance-direct' method can be used");
    }
    this.d.authz.enforce('modify_image', ctx, image);
    if (!allStoresMustSucceed) {
      throw badRequest('All_stores_must_succeed can only be set with enabled_backends None');
    }
    if (
      !(await this.d.repo.transition(id, 'uploading', 'importing', { worker_host: this.d.host }))
    ) {
      throw conflict('Image has active task');
    }
    const task = this.runImport(image).finally(() => this.imports.delete(task));
    this.imports.add(task);
  }

  /** Waits for background imports (at shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.imports]);
  }

  /**
   * Finishes what a crash of this host cut short: uploads go back to queued, an import goes
   * back to staged (or queued when the staged data is gone), and data no image refers to is
   * removed from the store and the staging area.
   */
  async recover(): Promise<void> {
    const stuck = await this.d.repo.listInterrupted(this.d.host, [
      'saving',
      'uploading',
      'importing',
    ]);
    for (const image of stuck) {
      const stagedLocation = this.d.staging.locationOf(image.id);
      const staged =
        image.status !== 'saving' && (await this.hasData(this.d.staging, stagedLocation));
      if (image.status === 'uploading' && staged && image.size !== null) continue;
      if (image.status === 'importing' && staged) {
        await this.d.repo.transition(image.id, 'importing', 'uploading');
        continue;
      }
      if (staged) await this.d.staging.delete(stagedLocation);
      await this.d.repo.transition(image.id, image.status, 'queued', {
        size: null,
        virtual_size: null,
        worker_host: null,
        last_error: 'interrupted by a restart of the image service',
      });
      this.d.logger.warn({ image: image.id, status: image.status }, 'interrupted transfer reset');
    }
    const idOf = (location: string) => location.slice(location.lastIndexOf('/') + 1);
    await this.d.store.cleanup(async (location) => {
      const image = await this.d.repo.get(idOf(location));
      return (
        !!image && (image.location === location || ['saving', 'importing'].includes(image.status))
      );
    });
    await this.d.staging.cleanup(async (location) => {
      const image = await this.d.repo.get(idOf(location));
      return !!image && ['uploading', 'importing'].includes(image.status);
    });
  }

  private async runImport(image: ImageRecord): Promise<void> {
    const stagedLocation = this.d.staging.locationOf(image.id);
    let result: IngestResult;
    try {
      const source = await this.d.staging.read(stagedLocation);
      result = await ingest(source, {
        store: this.d.store,
        imageId: image.id,
        limits: this.limits(undefined),
        ...(image.containerFormat === 'bare'
          ? { inspect: { diskFormat: image.diskFormat!, requireMatch: this.d.requireFormatMatch } }
          : {}),
      });
    } catch (err) {
      this.d.logger.warn({ err, image: image.id }, 'image import failed');
      // Staged data goes before the status changes, so that whoever sees the new status sees
      // the staging area as it will stay.
      await this.d.staging.delete(stagedLocation);
      await this.restore(image.id, 'importing', err);
      return;
    }
    await this.d.staging.delete(stagedLocation);
    if (!(await this.activate(image.id, 'importing', result))) {
      await this.d.store.delete(result.location);
    }
  }

  private async activate(
    id: string,
    from: 'saving' | 'importing',
    r: IngestResult,
  ): Promise<boolean> {
    return this.d.repo.transition(id, from, 'active', {
      size: r.size,
      virtual_size: r.virtualSize,
      checksum: r.checksum,
      os_hash_algo: HASH_ALGORITHM,
      os_hash_value: r.osHashValue,
      location: r.location,
      worker_host: null,
      last_error: null,
    });
  }

  /** Puts an image whose transfer failed back to queued, recording why. */
  private async restore(id: string, from: 'saving' | 'uploading' | 'importing', err: unknown) {
    const reason =
      err instanceof InvalidImageDataError
        ? err.reason
        : err instanceof Error
          ? err.message
          : String(err);
    this.d.logger.info({ image: id, reason }, 'image data refused or interrupted; back to queued');
    await this.d.repo.transition(id, from, 'queued', {
      size: null,
      virtual_size: null,
      worker_host: null,
      last_error: reason,
    });
  }

  private limits(remaining: number | undefined): ByteLimit[] {
    const limits: ByteLimit[] = [
      { bytes: this.d.quotas.limits.imageSizeCap, error: () => new ImageSizeLimitError() },
    ];
    if (remaining !== undefined) {
      limits.push({ bytes: remaining, error: (n) => new StorageQuotaFullError(n, remaining) });
    }
    return limits;
  }

  /** The status machine's checks before data is received (Glance's Image.status setter). */
  private checkCanReceive(image: ImageRecord, to: 'saving' | 'uploading'): void {
    if (!canTransition(image.status, to)) {
      throw conflict(`Image status transition from ${image.status} to ${to} is not allowed`);
    }
    const missing = (['disk_format', 'container_format'] as const).filter((k) =>
      k === 'disk_format' ? !image.diskFormat : !image.containerFormat,
    );
    if (to === 'saving' && missing.length > 0) {
      const noun = missing.length === 1 ? 'Property' : 'Properties';
      throw badRequest(`${noun} ${missing.join(', ')} must be set prior to saving data.`);
    }
  }

  private async transitionConflict(id: string, to: string): Promise<GlanceError> {
    const now = await this.d.repo.get(id);
    if (!now) return notFound(`No image found with ID ${id}`);
    return conflict(`Image status transition from ${now.status} to ${to} is not allowed`);
  }

  private async hasData(store: ImageDataStore, location: string): Promise<boolean> {
    try {
      (await store.read(location, { start: 0, end: 0 })).destroy();
      return true;
    } catch {
      return false;
    }
  }

  /** Glance's HTTP errors for a failed transfer. */
  private toHttp(err: unknown): unknown {
    if (err instanceof InvalidImageDataError) return unsupportedMediaType(err.reason);
    if (err instanceof StorageQuotaFullError) {
      return overLimit(`Image exceeds the storage quota: ${err.message}`);
    }
    if (err instanceof ImageSizeLimitError) {
      return overLimit('The incoming image is too large: The provided image is too large.');
    }
    return err;
  }
}
