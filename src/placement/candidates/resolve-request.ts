import { badRequest } from '../placement-errors.js';
import type { CandidateRequestSpec } from './candidate-request.js';
import type { ProviderIndex } from './provider-index.js';

/** A request group with names resolved to the index's ids. */
export interface ResolvedGroup {
  suffix: string;
  useSameProvider: boolean;
  /** Resource class id → amount, in the order requested. */
  resources: Map<number, number>;
  /** Trait id sets: each set any-of, every set required. */
  requiredTraits: Set<number>[];
  forbiddenTraits: Set<number>;
  /** Aggregate UUID lists: each any-of, every list required. */
  memberOf: string[][];
  forbiddenAggregates: Set<string>;
  /** The provider UUID whose tree the group must come from. */
  inTree?: string;
}

/** The request-wide parameters with names resolved. */
export interface ResolvedWide {
  limit?: number;
  groupPolicy?: 'none' | 'isolate';
  anchorRequired?: Set<number>;
  anchorForbidden?: Set<number>;
  sameSubtrees: Set<string>[];
}

/** A resolved allocation candidates request. */
export interface ResolvedRequest {
  groups: ResolvedGroup[];
  wide: ResolvedWide;
  /** Names of every class asked for (provider summaries before 1.27 show only these). */
  requestedClasses: Set<string>;
}

/**
 * Resolves resource class and trait names against the index: an unknown class or trait is a
 * 400 with upstream's message (traits checked first for the request-wide root_required).
 */
export function resolveRequest(spec: CandidateRequestSpec, index: ProviderIndex): ResolvedRequest {
  const trait = (name: string) => {
    const id = index.traitIds.get(name);
    if (id === undefined) throw badRequest(`No such trait(s): ${name}.`);
    return id;
  };
  const wide: ResolvedWide = { sameSubtrees: spec.wide.sameSubtrees };
  if (spec.wide.limit !== undefined) wide.limit = spec.wide.limit;
  if (spec.wide.groupPolicy !== undefined) wide.groupPolicy = spec.wide.groupPolicy;
  if (spec.wide.rootRequired && spec.wide.rootRequired.size > 0) {
    wide.anchorRequired = new Set([...spec.wide.rootRequired].map(trait));
  }
  if (spec.wide.rootForbidden && spec.wide.rootForbidden.size > 0) {
    wide.anchorForbidden = new Set([...spec.wide.rootForbidden].map(trait));
  }
  const requestedClasses = new Set<string>();
  const groups = spec.groups.map((g): ResolvedGroup => {
    const resources = new Map<number, number>();
    for (const [name, amount] of g.resources) {
      const id = index.classIds.get(name);
      if (id === undefined) {
        throw badRequest(
          `Invalid resource class in resources parameter: No such resource class ${name}.`,
        );
      }
      resources.set(id, amount);
      requestedClasses.add(name);
    }
    const out: ResolvedGroup = {
      suffix: g.suffix,
      useSameProvider: g.useSameProvider,
      resources,
      requiredTraits: g.traits.required.map((set) => new Set(set.map(trait))),
      forbiddenTraits: new Set([...g.traits.forbidden].map(trait)),
      memberOf: g.memberOf.required,
      forbiddenAggregates: g.memberOf.forbidden,
    };
    if (g.inTree !== undefined) out.inTree = g.inTree;
    return out;
  });
  return { groups, wide, requestedClasses };
}
