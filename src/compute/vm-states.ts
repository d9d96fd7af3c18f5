/**
 * The instance state machine as data (ARCHITECTURE.md §3): Nova's vm_state and task_state
 * values, the API status each pair shows as, and which states each action is allowed from.
 * The API's checks and the compute agent read the same tables.
 */

/** Stable states (Nova's nova/compute/vm_states.py values). */
export const VmState = {
  ACTIVE: 'active',
  BUILDING: 'building',
  PAUSED: 'paused',
  SUSPENDED: 'suspended',
  STOPPED: 'stopped',
  RESCUED: 'rescued',
  RESIZED: 'resized',
  SOFT_DELETED: 'soft-delete',
  DELETED: 'deleted',
  ERROR: 'error',
  SHELVED: 'shelved',
  SHELVED_OFFLOADED: 'shelved_offloaded',
} as const;

/** A vm_state value. */
export type VmState = (typeof VmState)[keyof typeof VmState];

/** Transitional states while an operation runs (Nova's task_states values). */
export const TaskState = {
  SCHEDULING: 'scheduling',
  BLOCK_DEVICE_MAPPING: 'block_device_mapping',
  NETWORKING: 'networking',
  SPAWNING: 'spawning',
  IMAGE_SNAPSHOT: 'image_snapshot',
  IMAGE_SNAPSHOT_PENDING: 'image_snapshot_pending',
  IMAGE_PENDING_UPLOAD: 'image_pending_upload',
  IMAGE_UPLOADING: 'image_uploading',
  IMAGE_BACKUP: 'image_backup',
  UPDATING_PASSWORD: 'updating_password',
  RESIZE_PREP: 'resize_prep',
  RESIZE_MIGRATING: 'resize_migrating',
  RESIZE_MIGRATED: 'resize_migrated',
  RESIZE_FINISH: 'resize_finish',
  RESIZE_REVERTING: 'resize_reverting',
  RESIZE_CONFIRMING: 'resize_confirming',
  REBOOTING: 'rebooting',
  REBOOT_PENDING: 'reboot_pending',
  REBOOT_STARTED: 'reboot_started',
  REBOOTING_HARD: 'rebooting_hard',
  REBOOT_PENDING_HARD: 'reboot_pending_hard',
  REBOOT_STARTED_HARD: 'reboot_started_hard',
  PAUSING: 'pausing',
  UNPAUSING: 'unpausing',
  SUSPENDING: 'suspending',
  RESUMING: 'resuming',
  POWERING_OFF: 'powering-off',
  POWERING_ON: 'powering-on',
  RESCUING: 'rescuing',
  UNRESCUING: 'unrescuing',
  REBUILDING: 'rebuilding',
  REBUILD_BLOCK_DEVICE_MAPPING: 'rebuild_block_device_mapping',
  REBUILD_SPAWNING: 'rebuild_spawning',
  MIGRATING: 'migrating',
  DELETING: 'deleting',
  SOFT_DELETING: 'soft-deleting',
  RESTORING: 'restoring',
  SHELVING: 'shelving',
  SHELVING_IMAGE_PENDING_UPLOAD: 'shelving_image_pending_upload',
  SHELVING_IMAGE_UPLOADING: 'shelving_image_uploading',
  SHELVING_OFFLOADING: 'shelving_offloading',
  UNSHELVING: 'unshelving',
} as const;

/** A task_state value. */
export type TaskState = (typeof TaskState)[keyof typeof TaskState];

const T = TaskState;
const REBOOT = [T.REBOOTING, T.REBOOT_PENDING, T.REBOOT_STARTED];
const HARD_REBOOT = [T.REBOOTING_HARD, T.REBOOT_PENDING_HARD, T.REBOOT_STARTED_HARD];
const REBUILD = [T.REBUILDING, T.REBUILD_BLOCK_DEVICE_MAPPING, T.REBUILD_SPAWNING];
const RESIZE = [T.RESIZE_PREP, T.RESIZE_MIGRATING, T.RESIZE_MIGRATED, T.RESIZE_FINISH];

function statusesFor(
  defaultStatus: string,
  byTask: [readonly string[], string][],
): {
  default: string;
  byTask: Map<string, string>;
} {
  const m = new Map<string, string>();
  for (const [tasks, status] of byTask) for (const t of tasks) m.set(t, status);
  return { default: defaultStatus, byTask: m };
}

// Nova's nova/api/openstack/common.py state map: the status a client sees for each pair.
const STATUS_MAP: Record<VmState, ReturnType<typeof statusesFor>> = {
  active: statusesFor('ACTIVE', [
    [REBOOT, 'REBOOT'],
    [HARD_REBOOT, 'HARD_REBOOT'],
    [[T.UPDATING_PASSWORD], 'PASSWORD'],
    [REBUILD, 'REBUILD'],
    [[T.MIGRATING], 'MIGRATING'],
    [RESIZE, 'RESIZE'],
  ]),
  building: statusesFor('BUILD', []),
  stopped: statusesFor('SHUTOFF', [
    [RESIZE, 'RESIZE'],
    [REBUILD, 'REBUILD'],
  ]),
  resized: statusesFor('VERIFY_RESIZE', [[[T.RESIZE_REVERTING], 'REVERT_RESIZE']]),
  paused: statusesFor('PAUSED', [[[T.MIGRATING], 'MIGRATING']]),
  suspended: statusesFor('SUSPENDED', []),
  rescued: statusesFor('RESCUE', []),
  error: statusesFor('ERROR', [[REBUILD, 'REBUILD']]),
  deleted: statusesFor('DELETED', []),
  'soft-delete': statusesFor('SOFT_DELETED', []),
  shelved: statusesFor('SHELVED', []),
  shelved_offloaded: statusesFor('SHELVED_OFFLOADED', []),
};

/** The API `status` of an instance in this vm_state/task_state pair. */
export function serverStatus(vmState: VmState, taskState: TaskState | null): string {
  const entry = STATUS_MAP[vmState];
  if (!entry) return 'UNKNOWN';
  return (taskState && entry.byTask.get(taskState)) || entry.default;
}

/** The vm_states whose instances are in one of these API statuses (for `?status=` filters). */
export function vmStatesForStatus(
  status: string,
): { vmState: VmState; taskStates: string[] | null }[] {
  const out: { vmState: VmState; taskStates: string[] | null }[] = [];
  for (const [vm, entry] of Object.entries(STATUS_MAP) as [
    VmState,
    (typeof STATUS_MAP)[VmState],
  ][]) {
    if (entry.default === status) out.push({ vmState: vm, taskStates: null });
    const tasks = [...entry.byTask].filter(([, s]) => s === status).map(([t]) => t);
    if (tasks.length) out.push({ vmState: vm, taskStates: tasks });
  }
  return out;
}

/** Where an action may start from: allowed vm_states and task_states (null = no task). */
export interface ActionRule {
  vmStates: readonly VmState[] | 'any';
  taskStates: readonly (TaskState | null)[] | 'any';
}

const V = VmState;
const NO_TASK = [null] as const;

/**
 * Which states each server action is allowed from, as Nova's check_instance_state decorators
 * on the compute API. An action from any other state is a 409 conflictingRequest.
 */
export const ACTION_RULES = {
  delete: { vmStates: 'any', taskStates: 'any' },
  forceDelete: { vmStates: 'any', taskStates: 'any' },
  update: { vmStates: 'any', taskStates: 'any' },
  start: { vmStates: [V.STOPPED], taskStates: NO_TASK },
  stop: { vmStates: [V.ACTIVE, V.RESCUED, V.ERROR], taskStates: NO_TASK },
  reboot: {
    vmStates: [V.ACTIVE, V.STOPPED, V.PAUSED, V.SUSPENDED, V.ERROR],
    taskStates: [null, ...REBOOT, ...HARD_REBOOT] as TaskState[],
  },
  pause: { vmStates: [V.ACTIVE], taskStates: NO_TASK },
  unpause: { vmStates: [V.PAUSED], taskStates: NO_TASK },
  suspend: { vmStates: [V.ACTIVE], taskStates: NO_TASK },
  resume: { vmStates: [V.SUSPENDED], taskStates: NO_TASK },
  lock: { vmStates: 'any', taskStates: 'any' },
  metadata: {
    vmStates: [
      V.ACTIVE,
      V.PAUSED,
      V.SUSPENDED,
      V.STOPPED,
      V.BUILDING,
      V.RESIZED,
      V.SHELVED,
      V.SHELVED_OFFLOADED,
    ],
    taskStates: 'any',
  },
} satisfies Record<string, ActionRule>;

/** An action of ACTION_RULES. */
export type ServerAction = keyof typeof ACTION_RULES;

/** True when `action` may start from this state pair. */
export function actionAllowed(
  action: ServerAction,
  vmState: VmState,
  taskState: TaskState | null,
): boolean {
  const rule: ActionRule = ACTION_RULES[action];
  const vmOk = rule.vmStates === 'any' || rule.vmStates.includes(vmState);
  const taskOk = rule.taskStates === 'any' || rule.taskStates.includes(taskState);
  return vmOk && taskOk;
}

/**
 * Task states that mean an operation was in flight. After a compute agent restarts, an
 * instance still in one of them was interrupted: recovery finishes or fails it (never left).
 */
export const INTERRUPTIBLE_TASK_STATES: readonly TaskState[] = [
  T.SCHEDULING,
  T.BLOCK_DEVICE_MAPPING,
  T.NETWORKING,
  T.SPAWNING,
  ...REBOOT,
  ...HARD_REBOOT,
  T.PAUSING,
  T.UNPAUSING,
  T.SUSPENDING,
  T.RESUMING,
  T.POWERING_OFF,
  T.POWERING_ON,
  T.DELETING,
];
