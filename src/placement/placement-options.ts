import {
  bool,
  choice,
  int,
  port,
  str,
  type ConfigSchema,
  type ConfigValues,
} from '../platform/config/options.js';
import type { PlatformOptions } from '../platform/config/platform-options.js';

/** The all-zero UUID upstream records for consumers written before microversion 1.8. */
export const DEFAULT_CONSUMER_MISSING_ID = '00000000-0000-0000-0000-000000000000';

/**
 * The placement service's config sections. Names follow upstream placement.conf:
 * `[placement]` for the API and the allocation candidate options, `[placement_database]` for
 * where its tables live.
 */
export function placementOptions() {
  return {
    placement: {
      bind_host: str('0.0.0.0', 'Address the placement API listens on.'),
      bind_port: port(8778, 'Port the placement API listens on.'),
      randomize_allocation_candidates: bool(
        false,
        'When a limit is given, return a random sample of the allocation candidates instead of ' +
          'the first ones in the (deterministic) order they are found.',
      ),
      incomplete_consumer_project_id: str(
        DEFAULT_CONSUMER_MISSING_ID,
        'Project recorded for consumers whose allocations were written before microversion 1.8.',
      ),
      incomplete_consumer_user_id: str(
        DEFAULT_CONSUMER_MISSING_ID,
        'User recorded for consumers whose allocations were written before microversion 1.8.',
      ),
      allocation_conflict_retry_count: int(
        10,
        'How many times an allocation write is retried, server-side, when a resource provider ' +
          'generation changed under it.',
        { min: 1 },
      ),
      max_allocation_candidates: int(
        -1,
        'Most allocation candidates generated for one request (-1: no limit); `limit` is applied ' +
          'after this.',
        { min: -1 },
      ),
      allocation_candidates_generation_strategy: choice(
        ['depth-first', 'breadth-first'] as const,
        'depth-first',
        'Order in which viable root providers are visited when generating candidates.',
      ),
      change_log_retention: int(
        100000,
        'Change-log entries kept for other API replicas to catch up incrementally; a replica ' +
          'further behind reloads its index.',
        { min: 1000 },
      ),
    },
    placement_database: {
      connection: str(
        '${database.connection}',
        'Database URL of the placement tables (default: the shared [database] connection).',
      ),
    },
  } satisfies ConfigSchema;
}

/** The placement service's own option schema. */
export type PlacementOptions = ReturnType<typeof placementOptions>;

/** The typed configuration the placement service sees. */
export type PlacementConfig = ConfigValues<PlatformOptions & PlacementOptions>;
