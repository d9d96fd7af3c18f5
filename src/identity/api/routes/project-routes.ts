import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../../common/errors.js';
import { badRequest } from '../../identity-errors.js';
import type { Project } from '../../store/resource-store.js';
import { authorize, newId, type IdentityApiDeps } from '../identity-api.js';
import { requestUrl } from '../links.js';
import { listHints, queryOf, wrapCollection } from '../list-query.js';
import { targets } from '../policy-targets.js';
import { extraOf, param, rejectImmutable, requireMatchingId } from '../request-body.js';
import { Tag } from '../schemas/common-schemas.js';
import { ProjectCreate, ProjectUpdate, TagsUpdate } from '../schemas/resource-schemas.js';
import { renderProject } from '../views/project-view.js';

const COLUMNS = [
  'name',
  'description',
  'domain_id',
  'parent_id',
  'enabled',
  'is_domain',
  'tags',
  'options',
];
const FILTERS = ['domain_id', 'enabled', 'name', 'parent_id', 'is_domain'];

/** keystone's tag filters: `tags` (all), `tags-any`, `not-tags` (not all), `not-tags-any`. */
function tagFilter(req: FastifyRequest): (p: Project) => boolean {
  const q = queryOf(req);
  const list = (k: string) => (q[k] ? q[k].split(',') : undefined);
  const all = list('tags');
  const any = list('tags-any');
  const notAll = list('not-tags');
  const notAny = list('not-tags-any');
  return (p) =>
    (!all || all.every((t) => p.tags.includes(t))) &&
    (!any || any.some((t) => p.tags.includes(t))) &&
    (!notAll || !notAll.every((t) => p.tags.includes(t))) &&
    (!notAny || !notAny.some((t) => p.tags.includes(t)));
}

/** `/v3/projects` with tags; a project's `/v3/users/{id}/projects` lives with users. */
export function registerProjectRoutes(app: FastifyInstance, deps: IdentityApiDeps): void {
  const checkCreate = deps.schemas.compile(ProjectCreate);
  const checkUpdate = deps.schemas.compile(ProjectUpdate);
  const checkTags = deps.schemas.compile(TagsUpdate);
  const checkTag = deps.schemas.compile(Tag);
  const { resources } = deps.store;

  /** The project of the URL and its policy target; a missing one is 404 after the check. */
  const withProject = async (req: FastifyRequest, rule: string): Promise<Project> => {
    const id = param(req, 'project_id');
    const p = await resources.findProject(id);
    authorize(deps, req, rule, { target: targets.project(p), project_id: id });
    return p ?? resources.getProject(id);
  };

  app.get('/v3/projects', async (req) => {
    const domainId = req.context.domainId ?? undefined;
    authorize(
      deps,
      req,
      'identity:list_projects',
      domainId ? { target: { domain_id: domainId } } : {},
    );
    const q = queryOf(req);
    // Projects acting as domains are not modelled: asking for them lists none.
    const wantDomains = 'is_domain' in q && !['0', 'false', 'False'].includes(q.is_domain!);
    let projects = wantDomains ? [] : await resources.listProjects(domainId ? { domainId } : {});
    projects = projects.filter(tagFilter(req));
    const hints = listHints(req, FILTERS);
    hints.filters = hints.filters.filter((f) => f.name !== 'is_domain');
    return wrapCollection(
      req,
      'projects',
      projects.map((p) => renderProject(req, p)),
      hints,
    );
  });

  app.post('/v3/projects', async (req, reply) => {
    const { project } = checkCreate(req.body);
    authorize(deps, req, 'identity:create_project', { target: { project } });
    if (project.is_domain) {
      throw badRequest('Creating projects acting as domains is not supported; create a domain.');
    }
    const parentRef = project.parent_id ?? null;
    const parent = parentRef ? await resources.findProject(parentRef) : undefined;
    const domainId =
      project.domain_id ??
      parent?.domainId ??
      req.context.domainId ??
      deps.config.identity.default_domain_id;
    // Keystone reports a missing domain or parent as a 400 ValidationError.
    if (!(await resources.findDomain(domainId))) {
      throw badRequest(`Could not find domain: ${domainId}.`);
    }
    // A parent_id naming the domain itself means a top-level project.
    const parentId = parentRef && parentRef !== domainId ? parentRef : null;
    if (parentId) {
      if (!parent) throw badRequest(`Could not find project: ${parentId}.`);
      if (parent.domainId !== domainId) {
        throw badRequest(
          `Cannot create project, since its parent (${parent.id}) is in a different domain ` +
            `(${parent.domainId}).`,
        );
      }
    }
    const created = await resources.createProject({
      id: newId(deps.ids),
      name: project.name,
      domainId,
      parentId,
      enabled: project.enabled ?? true,
      description: project.description ?? '',
      tags: project.tags ?? [],
      extra: extraOf(project, COLUMNS),
    });
    reply.code(201);
    return { project: renderProject(req, created) };
  });

  app.get('/v3/projects/:project_id', async (req) => {
    return { project: renderProject(req, await withProject(req, 'identity:get_project')) };
  });

  app.patch('/v3/projects/:project_id', async (req) => {
    const id = param(req, 'project_id');
    const { project } = checkUpdate(req.body);
    requireMatchingId(project, id);
    const current = await withProject(req, 'identity:update_project');
    rejectImmutable(
      project,
      {
        domain_id: current.domainId,
        parent_id: current.parentId ?? current.domainId,
        is_domain: false,
      },
      ['domain_id', 'parent_id', 'is_domain'],
    );
    const updated = await resources.updateProject(id, {
      ...(project.name !== undefined ? { name: project.name } : {}),
      ...(project.enabled !== undefined ? { enabled: project.enabled } : {}),
      ...(project.description !== undefined ? { description: project.description } : {}),
      ...(project.tags !== undefined ? { tags: project.tags } : {}),
      extra: { ...current.extra, ...extraOf(project, COLUMNS) },
    });
    return { project: renderProject(req, updated) };
  });

  app.delete('/v3/projects/:project_id', async (req, reply) => {
    await withProject(req, 'identity:delete_project');
    await resources.deleteProject(param(req, 'project_id'));
    return reply.code(204).send();
  });

  const tagsBody = (req: FastifyRequest, tags: string[]) => ({
    tags,
    links: { self: requestUrl(req) },
  });

  app.get('/v3/projects/:project_id/tags', async (req) => {
    const p = await withProject(req, 'identity:list_project_tags');
    return tagsBody(req, p.tags);
  });

  app.put('/v3/projects/:project_id/tags', async (req) => {
    const { tags } = checkTags(req.body);
    await withProject(req, 'identity:update_project_tags');
    const p = await resources.updateProject(param(req, 'project_id'), { tags });
    return tagsBody(req, p.tags);
  });

  app.delete('/v3/projects/:project_id/tags', async (req, reply) => {
    await withProject(req, 'identity:delete_project_tags');
    await resources.updateProject(param(req, 'project_id'), { tags: [] });
    return reply.code(204).send();
  });

  app.get('/v3/projects/:project_id/tags/:value', async (req, reply) => {
    const p = await withProject(req, 'identity:get_project_tag');
    const tag = param(req, 'value');
    if (!p.tags.includes(tag)) {
      throw new NotFoundError(`Could not find project tag: ${tag}.`, {
        code: 'identity.not_found',
      });
    }
    return reply.code(204).send();
  });

  app.put('/v3/projects/:project_id/tags/:value', async (req, reply) => {
    const tag = checkTag(param(req, 'value'));
    const p = await withProject(req, 'identity:create_project_tag');
    if (!p.tags.includes(tag)) {
      if (p.tags.length >= 80) throw badRequest('The number of tags exceeds the limit of 80.');
      await resources.updateProject(p.id, { tags: [...p.tags, tag] });
    }
    reply.code(201).header('location', requestUrl(req));
    return reply.send();
  });

  app.delete('/v3/projects/:project_id/tags/:value', async (req, reply) => {
    const p = await withProject(req, 'identity:delete_project_tag');
    const tag = param(req, 'value');
    if (!p.tags.includes(tag)) {
      throw new NotFoundError(`Could not find project tag: ${tag}.`, {
        code: 'identity.not_found',
      });
    }
    await resources.updateProject(p.id, { tags: p.tags.filter((t) => t !== tag) });
    return reply.code(204).send();
  });
}
