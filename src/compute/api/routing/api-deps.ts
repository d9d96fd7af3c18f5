import type { Clock } from '../../../common/clock.js';
import type { IdGenerator } from '../../../common/ids.js';
import type { ApiConfig } from '../api-options.js';
import type { QuotaEngine } from '../quota/quota-engine.js';
import type { QuotaStore } from '../quota/quota-store.js';
import type { FlavorStore } from '../store/flavor-store.js';
import type { KeyPairStore } from '../store/keypair-store.js';
import type { ServersBackend } from '../servers/servers-backend.js';

/** Everything the compute API's routes use, built once by the service module. */
export interface ApiDeps {
  config: ApiConfig;
  clock: Clock;
  ids: IdGenerator;
  /** `[api] max_limit`. */
  maxLimit: number;
  flavors: FlavorStore;
  keypairs: KeyPairStore;
  quotaStore: QuotaStore;
  quotas: QuotaEngine;
  /** The servers API's cell database and clients; absent in API-only tests. */
  servers?: ServersBackend;
}
