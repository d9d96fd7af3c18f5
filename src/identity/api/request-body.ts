import type { FastifyRequest } from 'fastify';
import { badRequest } from '../identity-errors.js';

/**
 * The attributes of a request member that are not columns: keystone keeps them as the
 * resource's extra attributes and renders them back (e.g. a user's `email`).
 */
export function extraOf(
  member: Record<string, unknown>,
  columns: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(member)) {
    if (!columns.includes(k) && k !== 'id' && k !== 'links') out[k] = v;
  }
  return out;
}

/** Keystone rejects changing these on update, with its message. */
export function rejectImmutable(
  member: Record<string, unknown>,
  current: Record<string, unknown>,
  fields: readonly string[],
): void {
  for (const f of fields) {
    if (f in member && member[f] !== current[f]) {
      throw badRequest(`Update of \`${f}\` is not allowed.`);
    }
  }
}

/** Rejects a body `id` that differs from the URL's (keystone's _require_matching_id). */
export function requireMatchingId(member: Record<string, unknown>, id: string): void {
  if (member.id !== undefined && member.id !== null && member.id !== id) {
    throw badRequest('Cannot change ID');
  }
}

/** A path parameter. */
export function param(req: FastifyRequest, name: string): string {
  return (req.params as Record<string, string>)[name]!;
}
