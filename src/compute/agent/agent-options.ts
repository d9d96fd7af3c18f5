import { int } from '../../platform/config/options.js';
import { computeSharedOptions } from '../compute-options.js';
import { fakeDriverOptions } from '../virt/create-driver.js';

const fake = fakeDriverOptions();

/** The compute agent's sections: the shared compute options, `[fake]`, and its timers. */
export const agentOptions = {
  ...computeSharedOptions,
  fake: fake.fake,
  compute: {
    resource_provider_association_refresh: int(
      300,
      'Seconds between full reports of nodes to Placement.',
      { min: 1 },
    ),
    spawn_timeout: int(600, 'Seconds one spawn may take before it fails.', { min: 1 }),
  },
};
