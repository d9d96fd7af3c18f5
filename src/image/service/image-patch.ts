import type { RequestContext } from '../../platform/auth/request-context.js';
import { badRequest, conflict, forbidden, overLimit } from '../domain/glance-error.js';
import type { ImageRecord } from '../domain/image.js';
import type { ImageAuthorizer } from './image-authorizer.js';
import type { ImageQuotas } from './image-quotas.js';

/** One JSON-patch operation, already parsed and validated against the image schema. */
export interface PatchChange {
  op: 'add' | 'replace' | 'remove';
  /** The decoded JSON pointer; one element except for `locations`. */
  path: string[];
  value?: unknown;
  /** 4 for application/openstack-images-v2.0-json-patch, 10 for v2.1. */
  draft: 4 | 10;
}

/** Core attributes PATCH may set, by their API name. */
const CORE: Record<string, keyof ImageRecord> = {
  name: 'name',
  visibility: 'visibility',
  protected: 'protected',
  os_hidden: 'osHidden',
  min_disk: 'minDisk',
  min_ram: 'minRam',
  owner: 'owner',
  disk_format: 'diskFormat',
  container_format: 'containerFormat',
  tags: 'tags',
};

const MAX_DB_INT = 2147483647;

function setCore(image: ImageRecord, name: string, value: unknown): void {
  if (
    (name === 'disk_format' || name === 'container_format') &&
    !['queued', 'importing'].includes(image.status)
  ) {
    throw forbidden(`Attribute ${name} can be only replaced for a queued image.`);
  }
  if ((name === 'min_disk' || name === 'min_ram') && typeof value === 'number' && value < 0) {
    throw badRequest(
      `Invalid value '${value}' for parameter '${name}': Cannot be a negative value`,
    );
  }
  const key = CORE[name]!;
  (image as unknown as Record<string, unknown>)[key] =
    name === 'tags' ? [...new Set(value as string[])] : (value as never);
}

/**
 * Applies PATCH operations to an image as Glance's ImagesController.update does: each operation
 * is authorised (visibility changes by their own rule, everything by modify_image), locations
 * are hidden ([DEFAULT] show_multiple_locations is off), the owner is an admin's to change,
 * core attributes cannot be removed, and the property and tag quotas hold afterwards.
 */
export function applyPatch(
  ctx: RequestContext,
  image: ImageRecord,
  changes: readonly PatchChange[],
  authz: ImageAuthorizer,
  quotas: ImageQuotas,
): ImageRecord {
  const originalProps = new Set(Object.keys(image.properties));
  const authorize = (name: string, value?: unknown) => {
    if (name === 'visibility') authz.enforceVisibility(ctx, authz.target(ctx, image), value);
    authz.enforce('modify_image', ctx, image);
  };
  for (const change of changes) {
    const root = change.path[0]!;
    if (root === 'locations') {
      if (change.op === 'replace' && Array.isArray(change.value) && change.value.length === 0) {
        throw forbidden('Cannot set locations to empty list.');
      }
      const verb = { add: 'add', replace: 'update', remove: 'remove' }[change.op];
      throw forbidden(`It's not allowed to ${verb} locations if locations are invisible.`);
    }
    if (root === 'owner' && change.op !== 'remove' && !authz.isAdmin(ctx)) {
      throw forbidden("Owner can't be updated by non admin.");
    }
    authorize(root, change.value);
    const core = root in CORE;
    switch (change.op) {
      case 'replace':
        if (core) setCore(image, root, change.value);
        else if (root in image.properties) image.properties[root] = change.value as string;
        else throw conflict(`Property ${root} does not exist.`);
        break;
      case 'add':
        if (change.draft === 4 && (core || root in image.properties)) {
          throw conflict(`Property ${root} already present.`);
        }
        if (core) setCore(image, root, change.value);
        else image.properties[root] = change.value as string;
        break;
      case 'remove':
        if (core) throw forbidden(`Property ${root} may not be removed.`);
        if (!(root in image.properties)) throw conflict(`Property ${root} does not exist.`);
        delete image.properties[root];
        break;
    }
  }
  for (const key of ['min_disk', 'min_ram'] as const) {
    const v = key === 'min_disk' ? image.minDisk : image.minRam;
    if (v > MAX_DB_INT)
      throw badRequest(`'${key}' value out of range, must not exceed ${MAX_DB_INT}`);
  }
  if (Object.keys(image.properties).some((k) => !originalProps.has(k))) {
    quotas.checkProperties(image.properties);
  }
  if (changes.some((c) => c.path[0] === 'tags')) {
    const tagLimit = quotas.tagLimitMessage(image.tags);
    if (tagLimit) throw overLimit(tagLimit);
  }
  return image;
}
