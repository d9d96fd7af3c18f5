import type { Kysely } from 'kysely';
import type { Clock } from '../../common/clock.js';
import type { Database } from '../../platform/db/database.js';
import { now } from '../../platform/db/timestamps.js';
import type { CellDatabase } from './cell-tables.js';
import { queryTemplates } from '../../platform/db/query-templates.js';

/** Who started an action. */
export interface ActionOwner {
  requestId: string;
  userId: string | null;
  projectId: string | null;
}

/**
 * os-instance-actions records: an action per user request on a server (`create`, `delete`,
 * `reboot`, ...) and the events of each service that worked on it, with results, so a user can
 * see what happened (`openstack server event list`).
 */
export class ActionStore {
  private readonly db: Kysely<CellDatabase>;

  constructor(
    database: Database,
    private readonly clock: Clock,
  ) {
    this.db = database.kysely as Kysely<CellDatabase>;
  }

  /** Records the start of an action; returns its id. */
  async start(instanceUuid: string, action: string, owner: ActionOwner): Promise<number> {
    const ts = now(this.clock);
    const row = await this.db
      .insertInto('instance_actions')
      .values({
        action,
        instance_uuid: instanceUuid,
        request_id: owner.requestId,
        user_id: owner.userId,
        project_id: owner.projectId,
        start_time: ts,
        finish_time: null,
        message: null,
        created_at: ts,
        updated_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  private async actionId(instanceUuid: string, requestId: string): Promise<number | undefined> {
    // Each event of a build looks its action up: the query is built once.
    const [row] = await queryTemplates(this.db).execute(
      'instance_actions.id',
      (slot) =>
        this.db
          .selectFrom('instance_actions')
          .select('id')
          .where('instance_uuid', '=', slot('uuid'))
          .where('request_id', '=', slot('requestId'))
          .orderBy('id', 'desc')
          .limit(1),
      { uuid: instanceUuid, requestId },
    );
    return row?.id;
  }

  /** Records the start of an event of the action made by `requestId`; a no-op without one. */
  async startEvent(
    instanceUuid: string,
    requestId: string,
    event: string,
    host: string | null,
  ): Promise<void> {
    const actionId = await this.actionId(instanceUuid, requestId);
    if (actionId === undefined) return;
    const ts = now(this.clock);
    await this.db
      .insertInto('instance_actions_events')
      .values({
        action_id: actionId,
        event,
        start_time: ts,
        finish_time: null,
        result: null,
        traceback: null,
        host,
        details: null,
        created_at: ts,
        updated_at: null,
      })
      .execute();
  }

  /**
   * Finishes an event with `Success` or `Error` (and the error's message as details); an error
   * also marks the action's message "Error", as upstream.
   */
  async finishEvent(
    instanceUuid: string,
    requestId: string,
    event: string,
    outcome: { ok: true } | { ok: false; message: string },
  ): Promise<void> {
    const actionId = await this.actionId(instanceUuid, requestId);
    if (actionId === undefined) return;
    const ts = now(this.clock);
    await this.db
      .updateTable('instance_actions_events')
      .set({
        finish_time: ts,
        result: outcome.ok ? 'Success' : 'Error',
        details: outcome.ok ? null : outcome.message,
        updated_at: ts,
      })
      .where('action_id', '=', actionId)
      .where('event', '=', event)
      .where('finish_time', 'is', null)
      .execute();
    await this.db
      .updateTable('instance_actions')
      .set(
        outcome.ok
          ? { finish_time: ts, updated_at: ts }
          : { finish_time: ts, message: 'Error', updated_at: ts },
      )
      .where('id', '=', actionId)
      .execute();
  }
}
