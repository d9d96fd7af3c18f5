import type { RequestContext } from '../../platform/auth/request-context.js';
import type { PolicyEnforcer, PolicyTarget } from '../../platform/policy/policy-enforcer.js';
import { forbidden, notFound, policyForbidden } from '../domain/glance-error.js';
import type { ImageRecord, Visibility } from '../domain/image.js';

/**
 * Glance's API policy layer (glance/api/v2/policy.py) over the policy engine: the policy target
 * of an image, and the rule that a caller who may not even see an image gets a 404 for any
 * action on it, while one who may see it gets a 403.
 */
export class ImageAuthorizer {
  constructor(private readonly enforcer: PolicyEnforcer) {}

  /** True when the caller passes `context_is_admin` (Glance's context.is_admin). */
  isAdmin(ctx: RequestContext): boolean {
    return this.enforcer.check('context_is_admin', ctx);
  }

  /**
   * The policy target of an image: its attributes and properties, `project_id` meaning the
   * owner, and `member_id` the caller's project when the image is shared with it (Glance sets
   * the image's `member` so for every shared image the caller does not own).
   */
  target(ctx: RequestContext, image: ImageRecord): PolicyTarget {
    const member =
      image.visibility === 'shared' && ctx.projectId !== image.owner ? ctx.projectId : null;
    return {
      ...image.properties,
      id: image.id,
      name: image.name,
      status: image.status,
      visibility: image.visibility,
      owner: image.owner,
      project_id: image.owner,
      member_id: member,
      protected: image.protected,
      os_hidden: image.osHidden,
      disk_format: image.diskFormat,
      container_format: image.containerFormat,
    };
  }

  /** True when the rule allows the caller on the image. */
  check(rule: string, ctx: RequestContext, image: ImageRecord): boolean {
    return this.enforcer.check(rule, ctx, this.target(ctx, image));
  }

  /** Enforces an image rule: 404 when the caller may not see the image at all, else 403. */
  enforce(rule: string, ctx: RequestContext, image: ImageRecord): void {
    if (this.check(rule, ctx, image)) return;
    if (rule === 'get_image' || !this.check('get_image', ctx, image)) throw notFound();
    throw policyForbidden(rule);
  }

  /** Enforces a member rule: the image must be visible (404), then the rule holds (403). */
  enforceMember(rule: string, ctx: RequestContext, image: ImageRecord): void {
    this.enforce('get_image', ctx, image);
    if (!this.check(rule, ctx, image)) throw policyForbidden(rule);
  }

  /** The list permission (`get_images` on the caller's own project). */
  enforceList(ctx: RequestContext): void {
    if (!this.enforcer.check('get_images', ctx, { project_id: ctx.projectId })) {
      throw policyForbidden('get_images');
    }
  }

  /** Whether the caller may create an image with this owner and visibility. */
  enforceCreate(
    ctx: RequestContext,
    owner: string | null,
    visibility: Visibility | undefined,
  ): void {
    const target = { project_id: owner, owner, visibility: visibility ?? 'private' };
    if (!this.enforcer.check('add_image', ctx, target)) {
      if (owner !== ctx.projectId) {
        throw forbidden(`You are not permitted to create images owned by '${owner ?? 'None'}'`);
      }
      throw policyForbidden('add_image');
    }
    if (visibility !== undefined) this.enforceVisibility(ctx, target, visibility);
  }

  /** Making an image public or community needs its own rule (publicize_image: admins only). */
  enforceVisibility(ctx: RequestContext, target: PolicyTarget, visibility: unknown): void {
    const rule =
      visibility === 'public'
        ? 'publicize_image'
        : visibility === 'community'
          ? 'communitize_image'
          : undefined;
    if (rule && !this.enforcer.check(rule, ctx, target)) throw policyForbidden(rule);
  }
}
