import { choice, int } from '../../platform/config/options.js';
import { computeSharedOptions } from '../compute-options.js';
import { fakeDriverOptions } from '../virt/create-driver.js';

const fake = fakeDriverOptions();

/** The compute agent's sections: the shared compute options, `[fake]`, and its timers. */
export const agentOptions = {
  ...computeSharedOptions,
  DEFAULT: {
    ...computeSharedOptions.DEFAULT,
    sync_power_state_interval: int(
      600,
      'Seconds between syncs of the database power states with the hypervisor (-1: never).',
      { min: -1 },
    ),
    running_deleted_instance_poll_interval: int(
      1800,
      'Seconds between checks for guests of deleted instances still on this host (0: never).',
      { min: 0 },
    ),
    running_deleted_instance_action: choice(
      ['noop', 'log', 'shutdown', 'reap'],
      'reap',
      'What to do with such a guest: nothing, log it, power it off or destroy it.',
    ),
    running_deleted_instance_timeout: int(
      0,
      'Seconds an instance must have been deleted before its guest is acted on.',
      { min: 0 },
    ),
  },
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
