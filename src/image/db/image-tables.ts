import type { DbBoolean } from '../../platform/db/booleans.js';

/** The `images` table: one row per image, soft-deleted so that an id is never reused. */
export interface ImagesTable {
  id: string;
  name: string | null;
  size: number | null;
  virtual_size: number | null;
  status: string;
  visibility: string;
  checksum: string | null;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  min_disk: number;
  min_ram: number;
  owner: string | null;
  protected: DbBoolean;
  os_hidden: DbBoolean;
  disk_format: string | null;
  container_format: string | null;
  created_at: string;
  updated_at: string;
  deleted: DbBoolean;
  deleted_at: string | null;
  location: string | null;
  worker_host: string | null;
  last_error: string | null;
}

/** The `image_properties` table: additional properties, removed with their image. */
export interface ImagePropertiesTable {
  image_id: string;
  name: string;
  value: string;
}

/** The `image_tags` table. */
export interface ImageTagsTable {
  image_id: string;
  value: string;
}

/** The `image_members` table: projects an image is shared with, and their answer. */
export interface ImageMembersTable {
  image_id: string;
  member: string;
  status: string;
  created_at: string;
  updated_at: string;
}

/** The image service's tables, for Kysely. */
export interface ImageDb {
  images: ImagesTable;
  image_properties: ImagePropertiesTable;
  image_tags: ImageTagsTable;
  image_members: ImageMembersTable;
}
