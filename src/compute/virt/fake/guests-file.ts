import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * The fake hypervisor's guests on disk (`[fake] guests_file`), so that they outlive a restart of
 * the agent as a real hypervisor's guests do, and a test in another process can see them.
 * Written whole to a temporary file and renamed over the old one, so a reader never sees half.
 */
export class GuestsFile<T> {
  constructor(private readonly path: string) {}

  /** The guests last saved, or none when the file does not exist yet. */
  load(): T[] {
    if (!existsSync(this.path)) return [];
    return JSON.parse(readFileSync(this.path, 'utf8')) as T[];
  }

  /** Replaces the saved guests. */
  save(guests: T[]): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(guests, null, 1));
    renameSync(tmp, this.path);
  }
}
