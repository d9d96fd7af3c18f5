import { ConflictError } from '../../../common/errors.js';
import { isAdmin } from '../../../platform/auth/request-context.js';
import { UnexpectedTaskStateError } from '../../db/instance-store.js';
import { TaskState } from '../../vm-states.js';
import type { ApiCall } from '../routing/route-spec.js';
import { ServerPolicy } from './server-policies.js';
import { visibleInstance } from './server-reads.js';
import type { ServersBackend } from './servers-backend.js';
import { COMPUTE_BINARY } from '../../service-binaries.js';

/** Every task state but `deleting`: a delete may start from any of them (or none). */
const NOT_DELETING = [null, ...Object.values(TaskState).filter((t) => t !== TaskState.DELETING)];

/**
 * DELETE /servers/{id}: a server with no host yet, or whose host's compute service is down, is
 * deleted here (its Placement allocation released; the agent destroys a leftover guest when it
 * returns); otherwise the instance moves to `deleting` (compare-and-swap) and its host is asked
 * to terminate it. A locked server is a 409 for anyone but an admin.
 */
export async function deleteServer(backend: ServersBackend, call: ApiCall): Promise<void> {
  const ctx = call.context;
  const row = await visibleInstance(backend.cellDb, ctx, call.params.id!);
  call.authorize(ServerPolicy.delete, { project_id: row.project_id, user_id: row.user_id });
  if (row.locked_by && !isAdmin(ctx)) {
    throw new ConflictError(`Instance ${row.uuid} is locked`, { code: 'compute.instance_locked' });
  }
  await backend.actions.start(row.uuid, 'delete', {
    requestId: ctx.requestId,
    userId: ctx.userId,
    projectId: ctx.projectId,
  });
  const up = row.host
    ? (await backend.services.list({ binary: COMPUTE_BINARY, host: row.host })).some((s) => s.up)
    : false;
  if (!up) {
    // Nova's _local_delete: the host cannot do it, so the API does, with the notifications.
    await backend.notifier.instance('delete', 'start', row, { requestId: ctx.requestId });
    await backend.instances.softDelete(row.uuid);
    await backend.placement.release(row.uuid);
    const gone = await backend.instances.get(row.uuid, { includeDeleted: true });
    await backend.notifier.instance('delete', 'end', gone, { requestId: ctx.requestId });
    return;
  }
  try {
    await backend.instances.update(
      row.uuid,
      { task_state: TaskState.DELETING },
      { expectedTaskState: NOT_DELETING },
    );
  } catch (err) {
    // Already being deleted: the delete in flight finishes the job, as upstream.
    if (err instanceof UnexpectedTaskStateError) return;
    throw err;
  }
  await backend.agents.terminateInstance(row.host!, row.uuid, ctx.requestId);
}
