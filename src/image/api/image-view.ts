import type { ImageMember, ImageRecord } from '../domain/image.js';

/** Glance's timeutils.isotime: seconds precision with a `Z`. */
export function isotime(stored: string): string {
  return `${stored.slice(0, 19)}Z`;
}

/**
 * An image as Glance's ResponseSerializer shows it: additional properties first, then the core
 * attributes, tags and links (locations are never shown: show_multiple_locations is off).
 */
export function imageView(image: ImageRecord): Record<string, unknown> {
  return {
    ...image.properties,
    name: image.name,
    disk_format: image.diskFormat,
    container_format: image.containerFormat,
    visibility: image.visibility,
    size: image.size,
    virtual_size: image.virtualSize,
    status: image.status,
    checksum: image.checksum,
    protected: image.protected,
    min_ram: image.minRam,
    min_disk: image.minDisk,
    owner: image.owner,
    os_hidden: image.osHidden,
    os_hash_algo: image.osHashAlgo,
    os_hash_value: image.osHashValue,
    id: image.id,
    created_at: isotime(image.createdAt),
    updated_at: isotime(image.updatedAt),
    tags: image.tags,
    self: `/v2/images/${image.id}`,
    file: `/v2/images/${image.id}/file`,
    schema: '/v2/schemas/image',
  };
}

/** An image member as Glance shows it. */
export function memberView(member: ImageMember): Record<string, unknown> {
  return {
    member_id: member.memberId,
    image_id: member.imageId,
    status: member.status,
    created_at: isotime(member.createdAt),
    updated_at: isotime(member.updatedAt),
    schema: '/v2/schemas/member',
  };
}
