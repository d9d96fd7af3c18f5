/** One host's record of a periodic task run (Nova's task_log). */
export interface TaskLog {
  host: string;
  state: 'RUNNING' | 'DONE' | string;
  taskItems: number;
  errors: number;
  message: string;
}

/**
 * Where the instance usage audit runs of each compute host are recorded. The agents' periodic
 * audit writes them; until it exists no host has run one.
 */
export interface TaskLogSource {
  /** The runs of `task` for the period [begin, end). */
  list(task: string, begin: Date, end: Date): Promise<TaskLog[]>;
}

/** No audit has run anywhere. */
export const NO_TASK_LOGS: TaskLogSource = { list: async () => [] };
