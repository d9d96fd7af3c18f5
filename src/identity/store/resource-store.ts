import type { Selectable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import { fromDbBoolean, toDbBoolean } from '../../platform/db/booleans.js';
import type { Database } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/db-errors.js';
import { toJsonColumn } from '../../platform/db/json-column.js';
import { now } from '../../platform/db/timestamps.js';
import { withTransaction } from '../../platform/db/with-transaction.js';
import { duplicate, forbidden, notFound } from '../identity-errors.js';
import { identityDb, readObject, type Extra, type IdentityDb } from './rows.js';
import type { DomainsTable, ProjectsTable } from './tables.js';

/** A domain. */
export interface Domain {
  id: string;
  name: string;
  enabled: boolean;
  description: string | null;
  extra: Extra;
}

/** A project; `parentId` null means directly under its domain. */
export interface Project {
  id: string;
  name: string;
  domainId: string;
  parentId: string | null;
  enabled: boolean;
  description: string | null;
  tags: string[];
  extra: Extra;
}

/** Fields a domain update may change. */
export type DomainPatch = Partial<Pick<Domain, 'name' | 'enabled' | 'description' | 'extra'>>;

/** Fields a project update may change. */
export type ProjectPatch = Partial<
  Pick<Project, 'name' | 'enabled' | 'description' | 'tags' | 'extra'>
>;

function toDomain(r: Selectable<DomainsTable>): Domain {
  return {
    id: r.id,
    name: r.name,
    enabled: fromDbBoolean(r.enabled),
    description: r.description,
    extra: readObject(r.extra, 'identity_domains.extra'),
  };
}

function toProject(r: Selectable<ProjectsTable>, tags: string[]): Project {
  return {
    id: r.id,
    name: r.name,
    domainId: r.domain_id,
    parentId: r.parent_id,
    enabled: fromDbBoolean(r.enabled),
    description: r.description,
    tags,
    extra: readObject(r.extra, 'identity_projects.extra'),
  };
}

/** Domains, projects and project tags (keystone's resource backend). */
export class ResourceStore {
  private readonly db: IdentityDb;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {
    this.db = identityDb(database);
  }

  /** Creates a domain; a duplicate id or name is a 409. */
  async createDomain(d: Domain): Promise<Domain> {
    try {
      await this.db
        .insertInto('identity_domains')
        .values({
          id: d.id,
          name: d.name,
          enabled: toDbBoolean(d.enabled),
          description: d.description,
          extra: toJsonColumn(d.extra),
          created_at: now(this.clock),
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('domain', 'name', d.name);
      throw err;
    }
    return d;
  }

  /** A domain by id, or undefined. */
  async findDomain(id: string): Promise<Domain | undefined> {
    const r = await this.db
      .selectFrom('identity_domains')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r && toDomain(r);
  }

  /** A domain by id; 404 when it does not exist. */
  async getDomain(id: string): Promise<Domain> {
    const d = await this.findDomain(id);
    if (!d) throw notFound('domain', id);
    return d;
  }

  /** A domain by name, or undefined. */
  async findDomainByName(name: string): Promise<Domain | undefined> {
    const r = await this.db
      .selectFrom('identity_domains')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return r && toDomain(r);
  }

  /** Every domain, in creation order. */
  async listDomains(): Promise<Domain[]> {
    const rows = await this.db
      .selectFrom('identity_domains')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toDomain);
  }

  /** Updates a domain; returns the new state. */
  async updateDomain(id: string, patch: DomainPatch): Promise<Domain> {
    const current = await this.getDomain(id);
    const next = { ...current, ...patch };
    try {
      await this.db
        .updateTable('identity_domains')
        .set({
          name: next.name,
          enabled: toDbBoolean(next.enabled),
          description: next.description,
          extra: toJsonColumn(next.extra),
        })
        .where('id', '=', id)
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('domain', 'name', next.name);
      throw err;
    }
    return next;
  }

  /**
   * Deletes a disabled domain with everything in it: projects, users, groups, domain roles and
   * the assignments on or of them (keystone deletes a domain's contents with it).
   */
  async deleteDomain(id: string): Promise<void> {
    const d = await this.getDomain(id);
    if (d.enabled) {
      throw forbidden('Cannot delete a domain that is enabled, please disable it first.');
    }
    await withTransaction(this.database, async (trx) => {
      const db = trx as unknown as IdentityDb;
      const projects = await db
        .selectFrom('identity_projects')
        .select('id')
        .where('domain_id', '=', id)
        .execute();
      const users = await db
        .selectFrom('identity_users')
        .select('id')
        .where('domain_id', '=', id)
        .execute();
      const groups = await db
        .selectFrom('identity_groups')
        .select('id')
        .where('domain_id', '=', id)
        .execute();
      const ids = [id, ...[...projects, ...users, ...groups].map((x) => x.id)];
      await db.deleteFrom('identity_assignments').where('actor_id', 'in', ids).execute();
      await db.deleteFrom('identity_assignments').where('target_id', 'in', ids).execute();
      await db.deleteFrom('identity_users').where('domain_id', '=', id).execute();
      await db.deleteFrom('identity_groups').where('domain_id', '=', id).execute();
      await db.deleteFrom('identity_roles').where('domain_id', '=', id).execute();
      // Children before parents: the parent_id foreign key holds until the end.
      await db
        .updateTable('identity_projects')
        .set({ parent_id: null })
        .where('domain_id', '=', id)
        .execute();
      await db.deleteFrom('identity_projects').where('domain_id', '=', id).execute();
      await db.deleteFrom('identity_domains').where('id', '=', id).execute();
    });
  }

  /** Creates a project with its tags; a duplicate name in the domain is a 409. */
  async createProject(p: Project): Promise<Project> {
    try {
      await withTransaction(this.database, async (trx) => {
        await trx
          .insertInto('identity_projects')
          .values({
            id: p.id,
            name: p.name,
            domain_id: p.domainId,
            parent_id: p.parentId,
            enabled: toDbBoolean(p.enabled),
            description: p.description,
            extra: toJsonColumn(p.extra),
            created_at: now(this.clock),
          })
          .execute();
        await this.writeTags(trx as unknown as IdentityDb, p.id, p.tags);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('project', 'name', p.name, p.domainId);
      throw err;
    }
    return p;
  }

  private async writeTags(db: IdentityDb, projectId: string, tags: string[]): Promise<void> {
    await db.deleteFrom('identity_project_tags').where('project_id', '=', projectId).execute();
    const unique = [...new Set(tags)];
    if (unique.length > 0) {
      await db
        .insertInto('identity_project_tags')
        .values(unique.map((name) => ({ project_id: projectId, name })))
        .execute();
    }
  }

  private async withTags(rows: Selectable<ProjectsTable>[]): Promise<Project[]> {
    if (rows.length === 0) return [];
    const tags = await this.db
      .selectFrom('identity_project_tags')
      .selectAll()
      .where(
        'project_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('name')
      .execute();
    const byProject = new Map<string, string[]>();
    for (const t of tags) {
      const list = byProject.get(t.project_id) ?? [];
      list.push(t.name);
      byProject.set(t.project_id, list);
    }
    return rows.map((r) => toProject(r, byProject.get(r.id) ?? []));
  }

  /** A project by id, or undefined. */
  async findProject(id: string): Promise<Project | undefined> {
    const r = await this.db
      .selectFrom('identity_projects')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? (await this.withTags([r]))[0] : undefined;
  }

  /** A project by id; 404 when it does not exist. */
  async getProject(id: string): Promise<Project> {
    const p = await this.findProject(id);
    if (!p) throw notFound('project', id);
    return p;
  }

  /** A project by name in a domain, or undefined. */
  async findProjectByName(name: string, domainId: string): Promise<Project | undefined> {
    const r = await this.db
      .selectFrom('identity_projects')
      .selectAll()
      .where('name', '=', name)
      .where('domain_id', '=', domainId)
      .executeTakeFirst();
    return r ? (await this.withTags([r]))[0] : undefined;
  }

  /** Projects, optionally only these ids, ordered by id. */
  async listProjects(filter: { ids?: string[]; domainId?: string } = {}): Promise<Project[]> {
    if (filter.ids && filter.ids.length === 0) return [];
    // Keystone pages projects and users by id, so that is their list order.
    let q = this.db.selectFrom('identity_projects').selectAll().orderBy('id');
    if (filter.ids) q = q.where('id', 'in', filter.ids);
    if (filter.domainId) q = q.where('domain_id', '=', filter.domainId);
    return this.withTags(await q.execute());
  }

  /** The ids of a project's children. */
  async childIds(id: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('identity_projects')
      .select('id')
      .where('parent_id', '=', id)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Updates a project; returns the new state. */
  async updateProject(id: string, patch: ProjectPatch): Promise<Project> {
    const current = await this.getProject(id);
    const next = { ...current, ...patch };
    try {
      await withTransaction(this.database, async (trx) => {
        await trx
          .updateTable('identity_projects')
          .set({
            name: next.name,
            enabled: toDbBoolean(next.enabled),
            description: next.description,
            extra: toJsonColumn(next.extra),
          })
          .where('id', '=', id)
          .execute();
        if (patch.tags) await this.writeTags(trx as unknown as IdentityDb, id, patch.tags);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('project', 'name', next.name, next.domainId);
      throw err;
    }
    return { ...next, tags: patch.tags ? [...new Set(patch.tags)].sort() : next.tags };
  }

  /** Deletes a leaf project and the assignments on it (keystone refuses a non-leaf: 403). */
  async deleteProject(id: string): Promise<void> {
    await this.getProject(id);
    if ((await this.childIds(id)).length > 0) {
      throw forbidden(
        `Cannot delete the project ${id} since it is not a leaf in the hierarchy. ` +
          'Use the cascade option if you want to delete a whole subtree.',
      );
    }
    await withTransaction(this.database, async (trx) => {
      await trx.deleteFrom('identity_assignments').where('target_id', '=', id).execute();
      await trx.deleteFrom('identity_projects').where('id', '=', id).execute();
    });
  }
}
