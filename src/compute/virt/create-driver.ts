import { ConfigError } from '../../common/errors.js';
import type { VirtDriver } from './driver.js';
import { FakeDriver } from './fake/fake-driver.js';
import type { FakeDriverConfig } from './fake/fake-options.js';

/** Makes the driver `[DEFAULT] compute_driver` names (nova's class-path style names). */
export function createDriver(
  computeDriver: string,
  config: { fake: FakeDriverConfig },
): VirtDriver {
  switch (computeDriver) {
    case 'fake.FakeDriver':
    case 'fake':
      return new FakeDriver(config.fake);
    default:
      throw new ConfigError(
        `[DEFAULT] compute_driver: unknown driver '${computeDriver}' (available: fake.FakeDriver)`,
      );
  }
}

/** The config sections the drivers add (`[fake]`), for the compute agent's schema. */
export { fakeDriverOptions } from './fake/fake-options.js';
