import type { Logger } from 'pino';
import type { IdGenerator } from '../../common/ids.js';
import type { CatalogEntry } from '../../platform/service/service-module.js';
import { verifyPassword } from '../crypto/password-hasher.js';
import type { IdentityStore } from '../store/identity-store.js';
import type { Project } from '../store/resource-store.js';
import type { Role } from '../store/role-store.js';
import type { UserService } from './user-service.js';

/** What bootstrap sets up. */
export interface BootstrapOptions {
  /** The admin's password: required to create the admin user, optional afterwards. */
  adminPassword?: string | undefined;
  adminUsername?: string;
  projectName?: string;
  defaultDomainId: string;
  regionId: string;
  /** Catalog entries of every Stratus API; each gets public and internal endpoints. */
  catalog: CatalogEntry[];
}

/** What bootstrap found or made. */
export interface BootstrapResult {
  adminUserId: string;
  adminProjectId: string;
  /** True when this run created the admin user. */
  createdAdmin: boolean;
}

/** Roles bootstrap makes, with what each implies (upstream's admin ⇒ manager ⇒ member ⇒ reader). */
const ROLES: readonly { name: string; implies?: string }[] = [
  { name: 'reader' },
  { name: 'member', implies: 'reader' },
  { name: 'manager', implies: 'member' },
  { name: 'admin', implies: 'manager' },
  { name: 'service' },
];

/** The interfaces bootstrap registers for each API (all at the public URL). */
const INTERFACES = ['public', 'internal'] as const;

/**
 * keystone-manage bootstrap, idempotent: the default domain, the `admin` and `service`
 * projects, the `admin` user (enabled again, and its password reset when one is given that does
 * not match), the default roles and their implications, admin's role on its project and on the
 * system, the region, and the catalog entries of every Stratus API (URLs updated when changed).
 */
export async function bootstrap(
  store: IdentityStore,
  users: UserService,
  ids: IdGenerator,
  opts: BootstrapOptions,
  logger?: Logger,
): Promise<BootstrapResult> {
  const newId = () => ids.uuid().replace(/-/g, '');
  const domainId = opts.defaultDomainId;
  if (!(await store.resources.findDomain(domainId))) {
    await store.resources.createDomain({
      id: domainId,
      name: 'Default',
      enabled: true,
      description: 'The default domain',
      extra: {},
    });
    logger?.info({ domain: domainId }, 'bootstrap: created the default domain');
  }

  const ensureProject = async (name: string, description: string): Promise<Project> =>
    (await store.resources.findProjectByName(name, domainId)) ??
    store.resources.createProject({
      id: newId(),
      name,
      domainId,
      parentId: null,
      enabled: true,
      description,
      tags: [],
      extra: {},
    });
  const adminProject = await ensureProject(
    opts.projectName ?? 'admin',
    'Bootstrap project for initializing the cloud.',
  );
  await ensureProject('service', 'Project of the Stratus service users.');

  const username = opts.adminUsername ?? 'admin';
  let admin = await store.users.findUserByName(username, domainId);
  let createdAdmin = false;
  if (!admin) {
    if (opts.adminPassword === undefined) {
      throw new Error('bootstrap needs an admin password to create the admin user');
    }
    admin = await users.create({
      name: username,
      domainId,
      enabled: true,
      defaultProjectId: null,
      password: opts.adminPassword,
      options: {},
      extra: {},
    });
    createdAdmin = true;
    logger?.info({ user: username }, 'bootstrap: created the admin user');
  } else {
    const update: { enabled?: boolean; password?: string } = {};
    if (!admin.enabled) update.enabled = true;
    if (
      opts.adminPassword !== undefined &&
      !(await verifyPassword(opts.adminPassword, admin.passwordHash))
    ) {
      update.password = opts.adminPassword;
    }
    if (Object.keys(update).length > 0) admin = await users.update(admin.id, update);
  }

  const roles = new Map<string, Role>();
  for (const r of ROLES) {
    const role =
      (await store.roles.findRoleByName(r.name, null)) ??
      (await store.roles.createRole({
        id: newId(),
        name: r.name,
        domainId: null,
        description: null,
        options: {},
        extra: {},
      }));
    roles.set(r.name, role);
  }
  for (const r of ROLES) {
    if (r.implies)
      await store.roles.addImplication(roles.get(r.name)!.id, roles.get(r.implies)!.id);
  }
  // Upstream drops the older direct admin ⇒ member implication, now reached through manager.
  await store.roles.removeImplication(roles.get('admin')!.id, roles.get('member')!.id);

  const adminRole = roles.get('admin')!.id;
  await store.assignments.grant({
    type: 'UserProject',
    actorId: admin.id,
    targetId: adminProject.id,
    roleId: adminRole,
    inherited: false,
  });
  await store.assignments.grant({
    type: 'UserSystem',
    actorId: admin.id,
    targetId: 'all',
    roleId: adminRole,
    inherited: false,
  });

  if (!(await store.catalog.findRegion(opts.regionId))) {
    await store.catalog.createRegion({
      id: opts.regionId,
      description: '',
      parentRegionId: null,
      extra: {},
    });
  }
  for (const entry of opts.catalog) await registerCatalogEntry(store, entry, opts.regionId, newId);
  return { adminUserId: admin.id, adminProjectId: adminProject.id, createdAdmin };
}

async function registerCatalogEntry(
  store: IdentityStore,
  entry: CatalogEntry,
  regionId: string,
  newId: () => string,
): Promise<void> {
  const existing = await store.catalog.listServices({ type: entry.type });
  const service =
    existing[0] ??
    (await store.catalog.createService({
      id: newId(),
      type: entry.type,
      name: entry.name,
      description: null,
      enabled: true,
      extra: {},
    }));
  const endpoints = await store.catalog.listEndpoints({ serviceId: service.id, regionId });
  for (const iface of INTERFACES) {
    const ep = endpoints.find((e) => e.interface === iface);
    if (!ep) {
      await store.catalog.createEndpoint({
        id: newId(),
        serviceId: service.id,
        interface: iface,
        regionId,
        url: entry.url,
        enabled: true,
        extra: {},
      });
    } else if (ep.url !== entry.url) {
      await store.catalog.updateEndpoint({ ...ep, url: entry.url });
    }
  }
}
