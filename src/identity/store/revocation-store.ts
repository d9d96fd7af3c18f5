import type { Clock } from '../../common/clock.js';
import type { Database } from '../../platform/db/database.js';
import { now, toDbTimestamp } from '../../platform/db/timestamps.js';
import { identityDb, type IdentityDb } from './rows.js';

/** What to revoke: tokens of a user (optionally on one project), or one token's audit chain. */
export type Revocation =
  { userId: string; projectId?: string } | { auditId: string } | { auditChainId: string };

/** The parts of a token that revocation events match. */
export interface RevocableToken {
  userId: string;
  projectId: string | null;
  /** This token's audit id first, then the chain's. */
  auditIds: string[];
  issuedAt: number;
}

/**
 * Revocation events (keystone's revoke model): an event revokes every token it matches that was
 * issued at or before it. Events older than the longest token lifetime match nothing and are
 * pruned.
 */
export class RevocationStore {
  private readonly db: IdentityDb;

  constructor(
    database: Database,
    private readonly clock: Clock,
  ) {
    this.db = identityDb(database);
  }

  /** Records an event revoking every matching token issued until now. */
  async revoke(r: Revocation): Promise<void> {
    const ts = now(this.clock);
    await this.db
      .insertInto('identity_revocation_events')
      .values({
        user_id: 'userId' in r ? r.userId : null,
        project_id: 'projectId' in r ? (r.projectId ?? null) : null,
        audit_id: 'auditId' in r ? r.auditId : null,
        audit_chain_id: 'auditChainId' in r ? r.auditChainId : null,
        issued_before: ts,
        revoked_at: ts,
      })
      .execute();
  }

  /** True when an event revokes the token. */
  async isRevoked(t: RevocableToken): Promise<boolean> {
    const issued = toDbTimestamp(t.issuedAt);
    const chain = t.auditIds.at(-1)!;
    const row = await this.db
      .selectFrom('identity_revocation_events')
      .select('id')
      .where('issued_before', '>=', issued)
      .where((eb) =>
        eb.or([
          eb.and([
            eb('user_id', '=', t.userId),
            t.projectId
              ? eb.or([eb('project_id', 'is', null), eb('project_id', '=', t.projectId)])
              : eb('project_id', 'is', null),
          ]),
          eb('audit_id', '=', t.auditIds[0]!),
          eb('audit_chain_id', '=', chain),
        ]),
      )
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Deletes events that can no longer match a valid token. */
  async prune(maxTokenLifetimeS: number): Promise<number> {
    const cutoff = toDbTimestamp(this.clock.now() - maxTokenLifetimeS * 1000);
    const r = await this.db
      .deleteFrom('identity_revocation_events')
      .where('revoked_at', '<', cutoff)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
