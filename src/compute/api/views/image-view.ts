import type { ImageView } from '../../../image/client.js';
import type { LinkBuilder } from '../http/link-builder.js';
import { parseBool } from '../routes/parse-bool.js';

/** Glance's core image fields; every other field of an image is one of its properties. */
const CORE = new Set([
  'id',
  'name',
  'status',
  'visibility',
  'protected',
  'checksum',
  'os_hash_algo',
  'os_hash_value',
  'owner',
  'size',
  'virtual_size',
  'min_ram',
  'min_disk',
  'created_at',
  'updated_at',
  'tags',
  'self',
  'file',
  'schema',
  'disk_format',
  'container_format',
  'direct_url',
  'locations',
  'os_hidden',
  'stores',
]);

/** The properties of an image, as Nova's legacy image form carries them. */
export function imageProperties(image: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(image)) if (!CORE.has(k)) out[k] = v;
  return out;
}

const STATUS: Record<string, string> = {
  active: 'ACTIVE',
  queued: 'SAVING',
  saving: 'SAVING',
  deleted: 'DELETED',
  pending_delete: 'DELETED',
  killed: 'ERROR',
};
const PROGRESS: Record<string, number> = { queued: 25, saving: 50, active: 100 };

function isoTime(text: string | null | undefined): string | null {
  if (!text) return null;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : `${d.toISOString().slice(0, 19)}Z`;
}

/** What an image view renders from. */
export interface ImageSource {
  image: ImageView;
  links: LinkBuilder;
  /** The image service's base URL, for the `alternate` link. */
  glanceUrl: string;
}

function imageLinks(s: ImageSource) {
  return [
    ...s.links.member('images', s.image.id),
    {
      rel: 'alternate',
      type: 'application/vnd.openstack.image',
      href: `${s.glanceUrl}/images/${s.image.id}`,
    },
  ];
}

/** An image of GET /images. */
export function imageBrief(s: ImageSource): Record<string, unknown> {
  return { id: s.image.id, name: s.image.name, links: imageLinks(s) };
}

/** An image in full (GET /images/detail, /images/{id}), in Nova's legacy image form. */
export function imageDetail(s: ImageSource): Record<string, unknown> {
  const i = s.image;
  const metadata = imageProperties(i);
  const out: Record<string, unknown> = {
    id: i.id,
    name: i.name,
    minRam: Number(i.min_ram ?? 0),
    minDisk: Number(i.min_disk ?? 0),
    metadata,
    created: isoTime(i.created_at),
    updated: isoTime(i.updated_at),
    status: STATUS[i.status] ?? 'UNKNOWN',
    progress: PROGRESS[i.status] ?? 0,
    'OS-EXT-IMG-SIZE:size': i.size,
    links: imageLinks(s),
  };
  const server = metadata.instance_uuid;
  if (typeof server === 'string')
    out.server = { id: server, links: s.links.member('servers', server) };
  if (metadata.auto_disk_config !== undefined) {
    out['OS-DCF:diskConfig'] = parseBool(metadata.auto_disk_config) ? 'AUTO' : 'MANUAL';
  }
  return out;
}
