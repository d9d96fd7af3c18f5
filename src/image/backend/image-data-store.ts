import type { Readable, Writable } from 'node:stream';

/** Data being written for an image, not yet part of the store. */
export interface PendingWrite {
  /** Where the bytes go; backpressure is honoured. */
  readonly stream: Writable;
  /** Makes the written bytes the image's data (atomically) and returns their location. */
  commit(): Promise<string>;
  /** Discards whatever was written; safe to call after a failed or never-finished write. */
  abort(): Promise<void>;
}

/**
 * A place image data lives (Glance's glance_store backend). The filesystem store is the one
 * Stratus has; another backend implements the same four operations and names its data by
 * location URIs of its own scheme.
 */
export interface ImageDataStore {
  /** The URI scheme of this store's locations, e.g. `file`. */
  readonly scheme: string;
  /** Starts writing new data for an image; nothing is visible until commit. */
  beginWrite(imageId: string): Promise<PendingWrite>;
  /**
   * Reads stored data, or the inclusive byte range [start, end] of it. Fails with
   * ImageDataMissingError when the data is gone.
   */
  read(location: string, range?: { start: number; end: number }): Promise<Readable>;
  /** Removes the data; a missing location is not an error. */
  delete(location: string): Promise<void>;
  /** Removes what interrupted writes left behind (called at start-up). */
  cleanup(isLive: (location: string) => Promise<boolean>): Promise<void>;
}

/** The store has no data at that location. */
export class ImageDataMissingError extends Error {}
