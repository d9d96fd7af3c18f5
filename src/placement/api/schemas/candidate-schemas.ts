import { Type, type TSchema } from '@sinclair/typebox';
import { GROUP_PAT, GROUP_PAT_1_33 } from './common.js';

const str = () => Type.Optional(Type.String());
const limit = Type.Optional(
  Type.Unsafe<string>({
    type: ['integer', 'string'],
    pattern: '^[1-9][0-9]*$',
    minimum: 1,
    minLength: 1,
  }),
);

const policy = Type.Optional(
  Type.Unsafe<'none' | 'isolate'>({ type: 'string', enum: ['none', 'isolate'] }),
);

function grouped(pattern: string, keys: string[]): Record<string, TSchema> {
  return Object.fromEntries(keys.map((k) => [`^${k}(${pattern})?$`, Type.String()]));
}

const granular = ['resources', 'required', 'member_of'];
const strict = { additionalProperties: false };

/** The query schemas of GET /allocation_candidates, by the microversion that introduced each. */
export const CandidateQuery = {
  v1_10: Type.Object({ resources: Type.String() }, strict),
  v1_16: Type.Object({ resources: Type.String(), limit }, strict),
  v1_17: Type.Object({ resources: Type.String(), limit, required: str() }, strict),
  v1_21: Type.Object(
    { resources: Type.String(), limit, required: str(), member_of: str() },
    strict,
  ),
  v1_25: Type.Object(
    { limit, group_policy: policy },
    { ...strict, patternProperties: grouped(GROUP_PAT, granular) },
  ),
  v1_31: Type.Object(
    { limit, group_policy: policy },
    { ...strict, patternProperties: grouped(GROUP_PAT, [...granular, 'in_tree']) },
  ),
  v1_33: Type.Object(
    { limit, group_policy: policy },
    { ...strict, patternProperties: grouped(GROUP_PAT_1_33, [...granular, 'in_tree']) },
  ),
  v1_35: Type.Object(
    {
      limit,
      group_policy: policy,
      root_required: str(),
    },
    { ...strict, patternProperties: grouped(GROUP_PAT_1_33, [...granular, 'in_tree']) },
  ),
  v1_36: Type.Object(
    {
      limit,
      group_policy: policy,
      root_required: str(),
      same_subtree: str(),
    },
    { ...strict, patternProperties: grouped(GROUP_PAT_1_33, [...granular, 'in_tree']) },
  ),
};
