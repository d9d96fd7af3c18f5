import { Type, type TSchema } from '@sinclair/typebox';
import { ReshaperAllocations } from './allocation-schemas.js';
import { UUID_PATTERN } from './common.js';
import { PutInventories } from './inventory-schemas.js';

function reshaper(allocations: TSchema) {
  return Type.Object(
    {
      inventories: Type.Object(
        {},
        {
          patternProperties: { [UUID_PATTERN]: PutInventories },
          // A reshape with no inventory to change has no reason to exist.
          minProperties: 1,
          additionalProperties: false,
        },
      ),
      allocations,
    },
    { additionalProperties: false },
  );
}

/** POST /reshaper, 1.30 to 1.33. */
export const ReshaperV1_30 = reshaper(ReshaperAllocations.v1_30);
/** POST /reshaper, 1.34 to 1.37 (mappings accepted). */
export const ReshaperV1_34 = reshaper(ReshaperAllocations.v1_34);
/** POST /reshaper from 1.38 (consumer types). */
export const ReshaperV1_38 = reshaper(ReshaperAllocations.v1_38);
