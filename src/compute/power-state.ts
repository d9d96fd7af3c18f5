/** Hypervisor power states, with Nova's numeric values (the API's `OS-EXT-STS:power_state`). */
export const PowerState = {
  NOSTATE: 0,
  RUNNING: 1,
  PAUSED: 3,
  SHUTDOWN: 4,
  CRASHED: 6,
  SUSPENDED: 7,
} as const;

/** A power state value. */
export type PowerState = (typeof PowerState)[keyof typeof PowerState];
