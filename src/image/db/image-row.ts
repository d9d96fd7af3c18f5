import type { Selectable } from 'kysely';
import { fromDbBoolean } from '../../platform/db/booleans.js';
import type { ImageRecord, ImageStatus, Visibility } from '../domain/image.js';
import type { ImagesTable } from './image-tables.js';

/** A stored integer that PostgreSQL may hand back as a string when past 2^53. */
function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'number' ? v : Number(v);
}

/** Turns an `images` row plus its properties and tags into an ImageRecord. */
export function toImageRecord(
  row: Selectable<ImagesTable>,
  properties: Record<string, string>,
  tags: string[],
): ImageRecord {
  return {
    id: row.id,
    name: row.name,
    status: row.status as ImageStatus,
    visibility: row.visibility as Visibility,
    size: num(row.size),
    virtualSize: num(row.virtual_size),
    checksum: row.checksum,
    osHashAlgo: row.os_hash_algo,
    osHashValue: row.os_hash_value,
    minDisk: num(row.min_disk) ?? 0,
    minRam: num(row.min_ram) ?? 0,
    owner: row.owner,
    protected: fromDbBoolean(row.protected),
    osHidden: fromDbBoolean(row.os_hidden),
    diskFormat: row.disk_format,
    containerFormat: row.container_format,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    properties,
    tags,
    location: row.location,
    workerHost: row.worker_host,
    lastError: row.last_error,
  };
}
