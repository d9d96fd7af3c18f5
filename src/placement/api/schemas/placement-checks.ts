import type { Check, SchemaValidator } from '../schema-validator.js';
import {
  PostAllocationsV1_13,
  PostAllocationsV1_28,
  PostAllocationsV1_34,
  PostAllocationsV1_38,
  PutAllocationsV1_0,
  PutAllocationsV1_12,
  PutAllocationsV1_28,
  PutAllocationsV1_34,
  PutAllocationsV1_38,
  PutAllocationsV1_8,
} from './allocation-schemas.js';
import { CandidateQuery } from './candidate-schemas.js';
import { ReshaperV1_30, ReshaperV1_34, ReshaperV1_38 } from './reshaper-schemas.js';
import { PostInventory, PutInventories, PutInventory } from './inventory-schemas.js';
import {
  CustomTraitName,
  ListTraitsQuery,
  PutAggregates,
  PutAggregates119,
  PutProviderTraits,
  ResourceClassBody,
  UsagesQuery,
  UsagesQuery138,
} from './misc-schemas.js';
import {
  ListProvidersQuery,
  PostProvider,
  PostProvider114,
  PutProvider,
  PutProvider114,
} from './resource-provider-schemas.js';

/** Every request schema of the API (each compiled when first used). */
export function compilePlacementChecks(v: SchemaValidator) {
  return {
    postProvider: v.compile(PostProvider),
    postProvider114: v.compile(PostProvider114),
    putProvider: v.compile(PutProvider),
    putProvider114: v.compile(PutProvider114),
    listProviders: {
      v1_0: v.compile(ListProvidersQuery.v1_0),
      v1_3: v.compile(ListProvidersQuery.v1_3),
      v1_4: v.compile(ListProvidersQuery.v1_4),
      v1_14: v.compile(ListProvidersQuery.v1_14),
      v1_18: v.compile(ListProvidersQuery.v1_18),
    },
    postInventory: v.compile(PostInventory),
    putInventory: v.compile(PutInventory),
    putInventories: v.compile(PutInventories),
    putAggregates: v.compile(PutAggregates),
    putAggregates119: v.compile(PutAggregates119),
    putProviderTraits: v.compile(PutProviderTraits),
    customTraitName: v.compile(CustomTraitName),
    listTraits: v.compile(ListTraitsQuery),
    resourceClass: v.compile(ResourceClassBody),
    usages: v.compile(UsagesQuery),
    usages138: v.compile(UsagesQuery138),
    candidates: {
      v1_10: v.compile(CandidateQuery.v1_10),
      v1_16: v.compile(CandidateQuery.v1_16),
      v1_17: v.compile(CandidateQuery.v1_17),
      v1_21: v.compile(CandidateQuery.v1_21),
      v1_25: v.compile(CandidateQuery.v1_25),
      v1_31: v.compile(CandidateQuery.v1_31),
      v1_33: v.compile(CandidateQuery.v1_33),
      v1_35: v.compile(CandidateQuery.v1_35),
      v1_36: v.compile(CandidateQuery.v1_36),
    },
    reshaper: {
      v1_30: v.compile(ReshaperV1_30),
      v1_34: v.compile(ReshaperV1_34),
      v1_38: v.compile(ReshaperV1_38),
    },
    putAllocations: {
      v1_0: v.compile(PutAllocationsV1_0),
      v1_8: v.compile(PutAllocationsV1_8),
      v1_12: v.compile(PutAllocationsV1_12),
      v1_28: v.compile(PutAllocationsV1_28),
      v1_34: v.compile(PutAllocationsV1_34),
      v1_38: v.compile(PutAllocationsV1_38),
    },
    postAllocations: {
      v1_13: v.compile(PostAllocationsV1_13),
      v1_28: v.compile(PostAllocationsV1_28),
      v1_34: v.compile(PostAllocationsV1_34),
      v1_38: v.compile(PostAllocationsV1_38),
    },
  } satisfies Record<string, Check | Record<string, Check>>;
}

/** The compiled request schemas. */
export type PlacementChecks = ReturnType<typeof compilePlacementChecks>;
