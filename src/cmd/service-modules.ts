import { computeAgentModule } from '../compute/agent/agent-module.js';
import { apiModule } from '../compute/api/api-module.js';
import { conductorModule } from '../compute/conductor/conductor-module.js';
import { schedulerModule } from '../compute/scheduler/scheduler-module.js';
import { identityModule } from '../identity/identity-module.js';
import { imageModule } from '../image/image-module.js';
import { placementModule } from '../placement/placement-module.js';
import type { ServiceModule } from '../platform/service/service-module.js';

/**
 * Every service Stratus has, in start order (identity first: the others validate tokens with
 * it). `stratus <name>` runs one, `stratus all` runs them all; the CLI lists only these.
 */
export function serviceModules(): ServiceModule<any>[] {
  return [
    identityModule,
    placementModule,
    imageModule,
    apiModule,
    conductorModule,
    schedulerModule,
    computeAgentModule,
  ];
}
