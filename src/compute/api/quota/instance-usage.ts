/** Instances, cores and RAM in use. */
export interface InstanceCounts {
  instances: number;
  cores: number;
  ram: number;
}

/**
 * Counts the servers of a project (and of one of its users), for quota `in_use` and checks.
 * Servers plug their counter in here; until they exist nothing is in use.
 */
export interface InstanceUsageCounter {
  count(
    projectId: string,
    userId?: string,
  ): Promise<{ project: InstanceCounts; user?: InstanceCounts }>;
}

/** The counter used while Stratus has no servers: everything is zero. */
export const NO_INSTANCES: InstanceUsageCounter = {
  async count(_projectId, userId) {
    const zero = { instances: 0, cores: 0, ram: 0 };
    return userId === undefined ? { project: zero } : { project: zero, user: { ...zero } };
  },
};
