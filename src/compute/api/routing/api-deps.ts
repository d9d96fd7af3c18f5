import type { Clock } from '../../../common/clock.js';
import type { IdGenerator } from '../../../common/ids.js';
import type { FlavorStore } from '../store/flavor-store.js';

/** Everything the compute API's routes use, built once by the service module. */
export interface ApiDeps {
  clock: Clock;
  ids: IdGenerator;
  /** `[api] max_limit`. */
  maxLimit: number;
  flavors: FlavorStore;
}
