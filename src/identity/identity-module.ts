import type { ServiceModule } from '../platform/service/service-module.js';
import { identityOptions, type IdentityOptions } from './identity-options.js';
import { identityPublicUrl, startIdentity } from './identity-service.js';
import { identityMigrations } from './store/migrations.js';

/** The identity service (`stratus identity`): a Keystone v3 subset on port 5000. */
export const identityModule: ServiceModule<IdentityOptions> = {
  name: 'identity',
  binary: 'stratus-identity',
  description: 'identity API (Keystone v3): tokens, projects, users, roles, the service catalog',
  options: identityOptions(),
  migrations: (config) => [{ url: config.identity_database.connection, set: identityMigrations }],
  catalogEntries: (config) => [
    { type: 'identity', name: 'keystone', url: identityPublicUrl({ config }) },
  ],
  start: startIdentity,
};
