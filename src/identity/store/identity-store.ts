import type { Clock } from '../../common/clock.js';
import type { Database } from '../../platform/db/database.js';
import { AppCredStore } from './app-cred-store.js';
import { AssignmentStore } from './assignment-store.js';
import { CatalogStore } from './catalog-store.js';
import { GroupStore } from './group-store.js';
import { ResourceStore } from './resource-store.js';
import { RevocationStore } from './revocation-store.js';
import { RoleStore } from './role-store.js';
import { UserStore } from './user-store.js';

/** Every identity store over one database. */
export class IdentityStore {
  readonly resources: ResourceStore;
  readonly users: UserStore;
  readonly groups: GroupStore;
  readonly roles: RoleStore;
  readonly assignments: AssignmentStore;
  readonly appCreds: AppCredStore;
  readonly catalog: CatalogStore;
  readonly revocations: RevocationStore;

  constructor(
    readonly database: Database,
    clock: Clock,
  ) {
    this.resources = new ResourceStore(database, clock);
    this.users = new UserStore(database, clock);
    this.groups = new GroupStore(database, clock);
    this.roles = new RoleStore(database, clock);
    this.assignments = new AssignmentStore(database);
    this.appCreds = new AppCredStore(database, clock);
    this.catalog = new CatalogStore(database);
    this.revocations = new RevocationStore(database, clock);
  }
}
