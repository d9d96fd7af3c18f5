import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../../common/clock.js';
import { BadRequestError, ConflictError, NotFoundError } from '../../../common/errors.js';
import type { Database } from '../../../platform/db/database.js';
import { isUniqueViolation } from '../../../platform/db/db-errors.js';
import { now } from '../../../platform/db/timestamps.js';
import type { ApiDatabase, KeyPairsTable } from '../../api-db-tables.js';

/** A key pair as the API layer works with it. */
export interface KeyPair {
  id: number;
  name: string;
  userId: string;
  fingerprint: string;
  publicKey: string;
  type: 'ssh' | 'x509';
  createdAt: string;
  updatedAt: string | null;
}

function toKeyPair(r: Selectable<KeyPairsTable>): KeyPair {
  return {
    id: r.id,
    name: r.name,
    userId: r.user_id,
    fingerprint: r.fingerprint,
    publicKey: r.public_key,
    type: r.type === 'x509' ? 'x509' : 'ssh',
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Key pairs in the compute API database, unique by name per user. */
export class KeyPairStore {
  private readonly db: Kysely<ApiDatabase>;

  constructor(
    database: Database,
    private readonly clock: Clock,
  ) {
    this.db = database.kysely as Kysely<ApiDatabase>;
  }

  /** Stores a key pair; a name the user already has is a 409. */
  async create(k: Omit<KeyPair, 'id' | 'createdAt' | 'updatedAt'>): Promise<KeyPair> {
    try {
      await this.db
        .insertInto('key_pairs')
        .values({
          name: k.name,
          user_id: k.userId,
          fingerprint: k.fingerprint,
          public_key: k.publicKey,
          type: k.type,
          created_at: now(this.clock),
          updated_at: null,
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ConflictError(`Key pair '${k.name}' already exists.`, {
          code: 'compute.keypair_exists',
        });
      }
      throw err;
    }
    return this.get(k.userId, k.name);
  }

  /** A user's key pair by name; 404 otherwise. */
  async get(userId: string, name: string): Promise<KeyPair> {
    const r = await this.db
      .selectFrom('key_pairs')
      .selectAll()
      .where('user_id', '=', userId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (!r) {
      throw new NotFoundError(`Keypair ${name} not found for user ${userId}`, {
        code: 'compute.keypair_not_found',
      });
    }
    return toKeyPair(r);
  }

  /** A user's key pairs by name, after `marker` (a name), at most `limit`. */
  async list(
    userId: string,
    page: { limit?: number; marker?: string | undefined } = {},
  ): Promise<KeyPair[]> {
    let q = this.db
      .selectFrom('key_pairs')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('name');
    if (page.marker !== undefined) {
      const found = await this.db
        .selectFrom('key_pairs')
        .select('id')
        .where('user_id', '=', userId)
        .where('name', '=', page.marker)
        .executeTakeFirst();
      if (!found) {
        throw new BadRequestError(`Marker ${page.marker} could not be found.`, {
          code: 'compute.marker_not_found',
        });
      }
      q = q.where('name', '>', page.marker);
    }
    if (page.limit !== undefined) q = q.limit(page.limit);
    return (await q.execute()).map(toKeyPair);
  }

  /** Deletes a user's key pair; 404 when there is none by that name. */
  async delete(userId: string, name: string): Promise<void> {
    const r = await this.db
      .deleteFrom('key_pairs')
      .where('user_id', '=', userId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) {
      throw new NotFoundError(`Keypair ${name} not found for user ${userId}`, {
        code: 'compute.keypair_not_found',
      });
    }
  }
}
