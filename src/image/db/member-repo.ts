import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import type { Database } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/db-errors.js';
import { now } from '../../platform/db/timestamps.js';
import type { ImageMember, MemberStatus } from '../domain/image.js';
import type { ImageDb, ImageMembersTable } from './image-tables.js';

/** The project is a member of the image already. */
export class DuplicateMemberError extends Error {}

function toMember(row: Selectable<ImageMembersTable>): ImageMember {
  return {
    imageId: row.image_id,
    memberId: row.member,
    status: row.status as MemberStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The members (projects an image is shared with) of images. */
export class MemberRepo {
  private readonly db: Kysely<ImageDb>;

  constructor(
    database: Database,
    private readonly clock: Clock,
  ) {
    this.db = database.kysely as Kysely<ImageDb>;
  }

  /** Adds `memberId` as a pending member; DuplicateMemberError if it is one already. */
  async add(imageId: string, memberId: string): Promise<ImageMember> {
    const ts = now(this.clock);
    const row = {
      image_id: imageId,
      member: memberId,
      status: 'pending',
      created_at: ts,
      updated_at: ts,
    };
    try {
      await this.db.insertInto('image_members').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateMemberError(memberId, { cause: err });
      throw err;
    }
    return toMember(row);
  }

  /** One membership, or undefined. */
  async get(imageId: string, memberId: string): Promise<ImageMember | undefined> {
    const row = await this.db
      .selectFrom('image_members')
      .selectAll()
      .where('image_id', '=', imageId)
      .where('member', '=', memberId)
      .executeTakeFirst();
    return row ? toMember(row) : undefined;
  }

  /** Every member of the image, oldest first. */
  async list(imageId: string): Promise<ImageMember[]> {
    const rows = await this.db
      .selectFrom('image_members')
      .selectAll()
      .where('image_id', '=', imageId)
      .orderBy('created_at')
      .orderBy('member')
      .execute();
    return rows.map(toMember);
  }

  /** How many members the image has (for image_member_quota). */
  async count(imageId: string): Promise<number> {
    const r = await this.db
      .selectFrom('image_members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('image_id', '=', imageId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Sets a member's status; returns the updated member, or undefined if it is not a member. */
  async setStatus(
    imageId: string,
    memberId: string,
    status: MemberStatus,
  ): Promise<ImageMember | undefined> {
    await this.db
      .updateTable('image_members')
      .set({ status, updated_at: now(this.clock) })
      .where('image_id', '=', imageId)
      .where('member', '=', memberId)
      .execute();
    return this.get(imageId, memberId);
  }

  /** Removes a membership; returns whether there was one. */
  async remove(imageId: string, memberId: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('image_members')
      .where('image_id', '=', imageId)
      .where('member', '=', memberId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }
}
