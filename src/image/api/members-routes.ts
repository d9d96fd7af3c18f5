import type { FastifyInstance } from 'fastify';
import { badRequest } from '../domain/glance-error.js';
import type { MemberService } from '../service/member-service.js';
import { memberView } from './image-view.js';
import { rejectOtherMethods } from './images-routes.js';
import { rejectBody, requiredJsonBody } from './json-body.js';

type IdParams = { Params: { image_id: string } };
type MemberParams = { Params: { image_id: string; member_id: string } };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Image members: share with a project, list, show, accept/reject, stop sharing. */
export function registerMemberRoutes(app: FastifyInstance, members: MemberService): void {
  app.get<IdParams>('/v2/images/:image_id/members', async (req) => {
    rejectBody(req);
    const list = await members.list(req.context, req.params.image_id);
    return { members: list.map(memberView), schema: '/v2/schemas/members' };
  });
  app.post<IdParams>('/v2/images/:image_id/members', async (req) => {
    const body = requiredJsonBody(req);
    if (!isObject(body)) throw badRequest('Expected a member in the form: {"member": "image_id"}');
    if (!('member' in body)) throw badRequest('Member to be added not specified');
    if (!body.member) throw badRequest("Member can't be empty");
    const memberId = typeof body.member === 'string' ? body.member : JSON.stringify(body.member);
    // Member ids are project ids: 255 characters at most, as the member column holds.
    if (memberId.length > 255)
      throw badRequest('Member should not be greater than 255 characters.');
    return memberView(await members.create(req.context, req.params.image_id, memberId));
  });
  rejectOtherMethods(app, '/v2/images/:image_id/members', 'GET, POST');

  const one = '/v2/images/:image_id/members/:member_id';
  app.get<MemberParams>(one, async (req) => {
    rejectBody(req);
    const { image_id, member_id } = req.params;
    return memberView(await members.show(req.context, image_id, member_id));
  });
  app.put<MemberParams>(one, async (req) => {
    const body = requiredJsonBody(req);
    if (!isObject(body)) throw badRequest('Expected a status in the form: {"status": "status"}');
    if (!('status' in body)) throw badRequest('Status not specified');
    const { image_id, member_id } = req.params;
    return memberView(await members.update(req.context, image_id, member_id, body.status));
  });
  app.delete<MemberParams>(one, async (req, reply) => {
    rejectBody(req);
    await members.delete(req.context, req.params.image_id, req.params.member_id);
    return reply.code(204).send();
  });
  rejectOtherMethods(app, one, 'GET, PUT, DELETE');
}
