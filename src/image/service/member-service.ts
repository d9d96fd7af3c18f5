import type { RequestContext } from '../../platform/auth/request-context.js';
import { DuplicateMemberError, type MemberRepo } from '../db/member-repo.js';
import {
  badRequest,
  conflict,
  forbidden,
  GlanceError,
  notFound,
  overLimit,
} from '../domain/glance-error.js';
import {
  MEMBER_STATUSES,
  type ImageMember,
  type ImageRecord,
  type MemberStatus,
} from '../domain/image.js';
import type { ImageAuthorizer } from './image-authorizer.js';
import type { ImageQuotas } from './image-quotas.js';
import type { ImageService } from './image-service.js';

/**
 * Image sharing as Glance's ImageMembersController: only `shared` images have members; the
 * owner adds and removes member projects, a member project accepts or rejects, and each
 * project sees only the memberships it may (all of them for the owner, its own otherwise).
 */
export class MemberService {
  constructor(
    private readonly images: ImageService,
    private readonly members: MemberRepo,
    private readonly authz: ImageAuthorizer,
    private readonly quotas: ImageQuotas,
  ) {}

  private async lookupImage(ctx: RequestContext, imageId: string): Promise<ImageRecord> {
    return this.images.findVisible(ctx, imageId, `Image ${imageId} not found.`);
  }

  /** The membership if the caller may see it (the owner sees all, a member only its own). */
  private async lookupMember(
    ctx: RequestContext,
    image: ImageRecord,
    memberId: string,
  ): Promise<ImageMember> {
    this.authz.enforceMember('get_member', ctx, image);
    const m = await this.members.get(image.id, memberId);
    if (!m || !this.mayView(ctx, image, m)) {
      throw notFound(`${memberId} not found in the member list of the image ${image.id}.`);
    }
    return m;
  }

  private mayView(ctx: RequestContext, image: ImageRecord, m: ImageMember): boolean {
    return this.authz.isAdmin(ctx) || image.owner === ctx.projectId || m.memberId === ctx.projectId;
  }

  /** Shares the image with a project (status pending). */
  async create(ctx: RequestContext, imageId: string, memberId: string): Promise<ImageMember> {
    const image = await this.lookupImage(ctx, imageId);
    if (image.visibility !== 'shared') {
      throw forbidden(`Not allowed to create members for image ${imageId}.`);
    }
    this.authz.enforceMember('add_member', ctx, image);
    const over = this.quotas.memberLimitMessage(await this.members.count(imageId));
    if (over) throw overLimit(`Image member limit exceeded for image ${imageId}: ${over}:`);
    try {
      return await this.members.add(imageId, memberId);
    } catch (err) {
      if (err instanceof DuplicateMemberError) {
        throw conflict(`Member ${memberId} is duplicated for image ${imageId}`);
      }
      throw err;
    }
  }

  /** A member project accepts or rejects the image (or sets it back to pending). */
  async update(
    ctx: RequestContext,
    imageId: string,
    memberId: string,
    status: unknown,
  ): Promise<ImageMember> {
    const image = await this.lookupImage(ctx, imageId);
    if (image.visibility !== 'shared') {
      throw forbidden(`Not allowed to update members for image ${imageId}.`);
    }
    await this.lookupMember(ctx, image, memberId);
    this.authz.enforceMember('modify_member', ctx, image);
    if (!MEMBER_STATUSES.includes(status as MemberStatus)) {
      throw badRequest('Incorrect request: Status must be "pending", "accepted" or "rejected".');
    }
    const updated = await this.members.setStatus(imageId, memberId, status as MemberStatus);
    if (!updated)
      throw notFound(`${memberId} not found in the member list of the image ${imageId}.`);
    return updated;
  }

  /** The memberships of the image the caller may see. */
  async list(ctx: RequestContext, imageId: string): Promise<ImageMember[]> {
    const image = await this.lookupImage(ctx, imageId);
    if (image.visibility !== 'shared') {
      throw forbidden(
        `Not allowed to list members for image ${imageId}: Only shared images have members.`,
      );
    }
    this.authz.enforceMember('get_members', ctx, image);
    const all = await this.members.list(imageId);
    return all.filter(
      (m) => this.mayView(ctx, image, m) && this.authz.check('get_member', ctx, image),
    );
  }

  /** One membership; anything the caller may not see is a 404. */
  async show(ctx: RequestContext, imageId: string, memberId: string): Promise<ImageMember> {
    const image = await this.lookupImage(ctx, imageId);
    if (image.visibility !== 'shared') throw notFound('Only shared images have members.');
    try {
      return await this.lookupMember(ctx, image, memberId);
    } catch (err) {
      // Glance turns a 403 into a 404 here so that a membership's existence does not leak.
      if (err instanceof GlanceError && err.status === 403) throw notFound(err.message);
      throw err;
    }
  }

  /** Stops sharing the image with a project. */
  async delete(ctx: RequestContext, imageId: string, memberId: string): Promise<void> {
    const image = await this.lookupImage(ctx, imageId);
    if (image.visibility !== 'shared') {
      throw forbidden(`Not allowed to delete members for image ${imageId}.`);
    }
    await this.lookupMember(ctx, image, memberId);
    this.authz.enforceMember('delete_member', ctx, image);
    await this.members.remove(imageId, memberId);
  }
}
