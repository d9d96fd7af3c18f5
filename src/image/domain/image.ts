/** Every status an image can be in (Glance's image status enum). */
export const IMAGE_STATUSES = [
  'queued',
  'saving',
  'active',
  'killed',
  'deleted',
  'uploading',
  'importing',
  'pending_delete',
  'deactivated',
] as const;

/** An image status. */
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

/** Who may see an image, besides its owner and admins. */
export const VISIBILITIES = ['community', 'public', 'private', 'shared'] as const;

/** An image visibility. */
export type Visibility = (typeof VISIBILITIES)[number];

/** A member project's answer to an image shared with it. */
export const MEMBER_STATUSES = ['pending', 'accepted', 'rejected'] as const;

/** An image member status. */
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** The hash algorithm of os_hash_value ([DEFAULT] hashing_algorithm upstream). */
export const HASH_ALGORITHM = 'sha512';

/** An image as stored: core attributes, additional properties and tags. */
export interface ImageRecord {
  id: string;
  name: string | null;
  status: ImageStatus;
  visibility: Visibility;
  size: number | null;
  virtualSize: number | null;
  checksum: string | null;
  osHashAlgo: string | null;
  osHashValue: string | null;
  minDisk: number;
  minRam: number;
  owner: string | null;
  protected: boolean;
  osHidden: boolean;
  diskFormat: string | null;
  containerFormat: string | null;
  /** Stored timestamp form (see platform/db/timestamps). */
  createdAt: string;
  updatedAt: string;
  /** Additional (custom) properties, all string-valued. */
  properties: Record<string, string>;
  tags: string[];
  /** Where the image data lives in the store (internal, never shown). */
  location: string | null;
  /** The host whose upload or import is in progress (internal, for crash recovery). */
  workerHost: string | null;
  /** Why the last upload or import of this image was refused (internal). */
  lastError: string | null;
}

/** The core attributes a client may set on create or with PATCH. */
export interface MutableImageFields {
  name: string | null;
  visibility: Visibility;
  minDisk: number;
  minRam: number;
  owner: string | null;
  protected: boolean;
  osHidden: boolean;
  diskFormat: string | null;
  containerFormat: string | null;
}

/** One project's membership of a shared image. */
export interface ImageMember {
  imageId: string;
  memberId: string;
  status: MemberStatus;
  createdAt: string;
  updatedAt: string;
}

/**
 * The status machine of an image, as Glance's domain model: each status lists where it may go.
 * Glance v2 lets `saving` return to `queued` so that a failed upload can be retried.
 */
export const STATUS_TRANSITIONS: Readonly<Record<ImageStatus, readonly ImageStatus[]>> = {
  queued: ['saving', 'uploading', 'importing', 'active', 'deleted'],
  saving: ['active', 'killed', 'deleted', 'queued'],
  uploading: ['importing', 'queued', 'deleted'],
  importing: ['active', 'deleted', 'queued'],
  active: ['pending_delete', 'deleted', 'deactivated'],
  killed: ['deleted'],
  pending_delete: ['deleted', 'active'],
  deleted: [],
  deactivated: ['active', 'deleted'],
};

/** True when the status machine allows going from `from` to `to`. */
export function canTransition(from: ImageStatus, to: ImageStatus): boolean {
  return STATUS_TRANSITIONS[from].includes(to);
}
