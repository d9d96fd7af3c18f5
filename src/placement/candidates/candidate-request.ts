import { ErrorCode, badRequest } from '../placement-errors.js';
import type { Microversion } from '../api/microversion.js';
import { pyRepr } from '../api/python-repr.js';
import {
  parseInTree,
  parseMemberOfParams,
  parseResources,
  parseTraitParams,
  parseTraitValue,
  type AggregateQuery,
  type TraitQuery,
} from '../api/query-params.js';
import { GROUP_PAT, GROUP_PAT_1_33 } from '../api/schemas/common.js';

/** One request group as given: resources and filters that (when suffixed) one provider meets. */
export interface GroupSpec {
  suffix: string;
  /** True for suffixed (granular) groups: one provider must satisfy the whole group. */
  useSameProvider: boolean;
  resources: Map<string, number>;
  traits: TraitQuery;
  memberOf: AggregateQuery;
  inTree?: string;
}

/** The parameters that apply to the request as a whole. */
export interface RequestWideSpec {
  limit?: number;
  groupPolicy?: 'none' | 'isolate';
  rootRequired?: Set<string>;
  rootForbidden?: Set<string>;
  sameSubtrees: Set<string>[];
}

/** A parsed GET /allocation_candidates request. */
export interface CandidateRequestSpec {
  groups: GroupSpec[];
  wide: RequestWideSpec;
}

function wideParams(params: URLSearchParams): RequestWideSpec {
  const out: RequestWideSpec = { sameSubtrees: [] };
  const limit = params.getAll('limit')[0];
  if (limit !== undefined) out.limit = Number.parseInt(limit, 10);
  const policy = params.getAll('group_policy')[0];
  if (policy !== undefined) out.groupPolicy = policy as 'none' | 'isolate';
  const rootRequired = params.getAll('root_required');
  if (rootRequired.length > 1) {
    throw badRequest(
      "Query parameter 'root_required' may be specified only once.",
      ErrorCode.ILLEGAL_DUPLICATE_QUERYPARAM,
    );
  }
  if (rootRequired.length === 1) {
    // root_required has no any-of form (upstream parses it the pre-1.39 way).
    const q = parseTraitValue(rootRequired[0]!, true, false);
    const required = new Set(q.required.flat());
    const conflicts = [...q.forbidden].filter((t) => required.has(t));
    if (conflicts.length > 0) {
      throw badRequest(
        `Conflicting required and forbidden traits found in root_required: ${conflicts.join(', ')}`,
        ErrorCode.QUERYPARAM_BAD_VALUE,
      );
    }
    out.rootRequired = required;
    out.rootForbidden = q.forbidden;
  }
  for (const value of params.getAll('same_subtree')) {
    const suffixes = new Set(value.split(',').map((s) => s.trim()));
    if (suffixes.has('')) {
      throw badRequest(
        'Empty string (unsuffixed group) can not be specified in `same_subtree` ',
        ErrorCode.QUERYPARAM_BAD_VALUE,
      );
    }
    out.sameSubtrees.push(suffixes);
  }
  return out;
}

function checkOrphans(groups: GroupSpec[]): void {
  const orphanTraits = groups
    .filter((g) => g.traits.required.length > 0 && g.resources.size === 0)
    .map((g) => `required${g.suffix}`);
  if (orphanTraits.length > 0) {
    throw badRequest(
      'All traits parameters must be associated with resources.  Found the following orphaned ' +
        `traits keys: ${orphanTraits.join(', ')}`,
    );
  }
  const orphanAggs = groups
    .filter(
      (g) =>
        g.resources.size === 0 && (g.memberOf.required.length > 0 || g.memberOf.forbidden.size > 0),
    )
    .map((g) => `member_of${g.suffix}`);
  if (orphanAggs.length > 0) {
    throw badRequest(
      'All member_of parameters must be associated with resources. Found the following ' +
        `orphaned member_of keys: ${orphanAggs.join(', ')}`,
    );
  }
  if (!groups.every((g) => g.resources.size > 0)) {
    throw badRequest('All request groups must specify resources.');
  }
  if (groups.length === 0) {
    throw badRequest('At least one request group (`resources` or `resources{$S}`) is required.');
  }
}

function checkSameSubtree(groups: GroupSpec[], wide: RequestWideSpec): void {
  const resourceless = groups.filter((g) => g.resources.size === 0).map((g) => g.suffix);
  if (resourceless.length === groups.length) {
    throw badRequest(
      'There must be at least one resources or resources[$S] parameter.',
      ErrorCode.QUERYPARAM_MISSING_VALUE,
    );
  }
  const inSubtrees = new Set(wide.sameSubtrees.flatMap((s) => [...s]));
  const bad = resourceless.filter((s) => !inSubtrees.has(s));
  if (bad.length > 0) {
    throw badRequest(
      'Resourceless suffixed group request should be specified in `same_subtree` query param: ' +
        `bad group(s) - ${pyRepr(bad)}.`,
      ErrorCode.QUERYPARAM_BAD_VALUE,
    );
  }
  const known = groups.map((g) => g.suffix);
  const unknown = [...inSubtrees].filter((s) => !known.includes(s));
  if (unknown.length > 0) {
    throw badRequest(
      `Real suffixes should be specified in \`same_subtree\`: ${pyRepr(unknown)} not found in ` +
        `${pyRepr(known)}.`,
      ErrorCode.QUERYPARAM_BAD_VALUE,
    );
  }
}

function checkForbidden(groups: GroupSpec[]): void {
  const conflicts: string[] = [];
  for (const g of groups) {
    for (const anyOf of g.traits.required) {
      if (anyOf.every((t) => g.traits.forbidden.has(t))) {
        conflicts.push(`required${g.suffix}: (${[...anyOf].sort().join(', ')})`);
      }
    }
  }
  if (conflicts.length > 0) {
    throw badRequest(
      'Conflicting required and forbidden traits found in the following traits keys: ' +
        conflicts.sort().join(', '),
    );
  }
}

/**
 * Parses the request groups (`resources`, `required`, `member_of`, `in_tree`, unsuffixed or
 * with a suffix) and the request-wide parameters of GET /allocation_candidates, with
 * upstream's rules and messages for each microversion. The query schema was checked already.
 */
export function parseCandidateRequest(
  params: URLSearchParams,
  version: Microversion,
): CandidateRequestSpec {
  const wide = wideParams(params);
  const suffixPattern = version.atLeast(33) ? GROUP_PAT_1_33 : GROUP_PAT;
  const key = new RegExp(`^(resources|required|member_of|in_tree)(${suffixPattern})?$`);
  const bySuffix = new Map<string, GroupSpec>();
  for (const [k, value] of params) {
    const m = key.exec(k);
    if (!m) continue;
    const suffix = m[2] ?? '';
    let g = bySuffix.get(suffix);
    if (!g) {
      g = {
        suffix,
        useSameProvider: suffix !== '',
        resources: new Map(),
        traits: { required: [], forbidden: new Set() },
        memberOf: { required: [], forbidden: new Set() },
      };
      bySuffix.set(suffix, g);
    }
    if (m[1] === 'resources') g.resources = parseResources(value);
    else if (m[1] === 'required') g.traits = parseTraitParams(params, version, suffix);
    else if (m[1] === 'member_of') g.memberOf = parseMemberOfParams(params, version, suffix);
    else g.inTree = parseInTree(value);
  }
  const groups = [...bySuffix.values()];
  if (version.atLeast(36)) checkSameSubtree(groups, wide);
  else checkOrphans(groups);
  if (version.atLeast(22)) checkForbidden(groups);
  if (!wide.groupPolicy && groups.filter((g) => g.useSameProvider).length > 1) {
    throw badRequest(
      'The "group_policy" parameter is required when specifying more than one "resources{N}" ' +
        'parameter.',
    );
  }
  return { groups, wide };
}
