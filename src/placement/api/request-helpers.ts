import type { FastifyReply, FastifyRequest } from 'fastify';
import { PlacementError, badRequest } from '../placement-errors.js';
import type { Microversion } from './microversion.js';
import type { Check } from './schema-validator.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The negotiated placement microversion; null before negotiation (or when it failed). */
    placementMicroversion: Microversion | null;
  }
}

/** The negotiated microversion of a request that reached a handler. */
export function versionOf(req: FastifyRequest): Microversion {
  const v = req.placementMicroversion;
  if (!v) throw new Error('microversion not negotiated');
  return v;
}

/** The 404 upstream's version_handler answers when a route is not in this microversion. */
export function requireVersion(
  req: FastifyRequest,
  min: number,
  max = Infinity,
  status = 404,
): void {
  const v = versionOf(req);
  if (!v.atLeast(min) || (max !== Infinity && v.atLeast(max + 1))) {
    throw new PlacementError(status, '');
  }
}

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(value: string): MediaRange[] {
  return value
    .split(',')
    .map((part) => {
      const [range, ...params] = part.trim().split(';');
      const [type = '', subtype = ''] = (range ?? '').trim().toLowerCase().split('/');
      let q = 1;
      for (const p of params) {
        const m = /^\s*q\s*=\s*([\d.]+)\s*$/i.exec(p);
        if (m) q = Number(m[1]);
      }
      return { type, subtype, q };
    })
    .filter((r) => r.type !== '');
}

/**
 * upstream's check_accept: when an Accept header is present, application/json must be
 * acceptable (directly, as application/*, or as *\/*), else 406.
 */
export function checkAcceptJson(req: FastifyRequest): void {
  const raw = req.headers.accept;
  if (raw === undefined || raw === '') return;
  const ok = parseAccept(Array.isArray(raw) ? raw.join(',') : raw).some(
    (r) =>
      r.q > 0 &&
      (r.type === '*' || (r.type === 'application' && (r.subtype === '*' || r.subtype === 'json'))),
  );
  if (!ok) throw new PlacementError(406, 'Only application/json is provided');
}

/** upstream's require_content: the body must be declared application/json, else 415. */
export function requireJsonContent(req: FastifyRequest): void {
  const raw = req.headers['content-type'];
  const type = (Array.isArray(raw) ? raw[0] : raw)?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json') {
    throw new PlacementError(
      415,
      `The media type ${type || 'None'} is not supported, use application/json`,
    );
  }
}

/** Parses the raw body as JSON and validates it; 400 with upstream's wording otherwise. */
export function readJson<T>(req: FastifyRequest, check: Check): T {
  const text = typeof req.body === 'string' ? req.body : '';
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw badRequest(`Malformed JSON: ${(err as Error).message}`);
  }
  const problem = check(data);
  if (problem !== null) throw badRequest(`JSON does not validate: ${problem}`);
  return data as T;
}

/** The query string as ordered key/value pairs (keys may repeat). */
export function queryOf(req: FastifyRequest): URLSearchParams {
  const i = req.url.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : req.url.slice(i + 1));
}

/** Validates a query string as upstream does: each key once, its last value. */
export function validateQuery(params: URLSearchParams, check: Check): void {
  const dict: Record<string, string> = {};
  for (const [k, v] of params) dict[k] = v;
  const problem = check(dict);
  if (problem !== null) throw badRequest(`Invalid query string parameters: ${problem}`);
}

/** The HTTP date of a stored timestamp (or of now) for Last-Modified. */
export function httpDate(stored: string | null | undefined, nowMs: number): string {
  const ms = stored ? Date.parse(stored) : nowMs;
  return new Date(Number.isNaN(ms) ? nowMs : ms).toUTCString();
}

/** Adds the cache headers of microversion 1.15+ (Last-Modified and Cache-Control: no-cache). */
export function cacheHeaders(
  req: FastifyRequest,
  reply: FastifyReply,
  lastModified: string | null | undefined,
  nowMs: number,
): void {
  if (!versionOf(req).atLeast(15)) return;
  reply.header('cache-control', 'no-cache');
  reply.header('last-modified', httpDate(lastModified, nowMs));
}

/** The newest of several stored timestamps (each the updated_at, else created_at, of a row). */
export function newest(
  items: Iterable<{ createdAt: string; updatedAt?: string | null }>,
): string | undefined {
  let best: string | undefined;
  for (const it of items) {
    const t = it.updatedAt ?? it.createdAt;
    if (best === undefined || t > best) best = t;
  }
  return best;
}
