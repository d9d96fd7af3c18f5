import { Type, type TSchema } from '@sinclair/typebox';
import { CONSUMER_TYPE_PATTERN, GROUP_PAT_1_33, RC_PATTERN, UUID_PATTERN } from './common.js';

const resources = Type.Object(
  {},
  {
    minProperties: 1,
    patternProperties: { [RC_PATTERN]: Type.Integer({ minimum: 1 }) },
    additionalProperties: false,
  },
);

const owner = Type.String({ minLength: 1, maxLength: 255 });

/** PUT /allocations/{consumer} before 1.8: a list of allocations. */
export const PutAllocationsV1_0 = Type.Object(
  {
    allocations: Type.Array(
      Type.Object(
        {
          resource_provider: Type.Object(
            { uuid: Type.String({ format: 'uuid' }) },
            { additionalProperties: false },
          ),
          resources,
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
);

/** PUT /allocations/{consumer} from 1.8: the list form plus the owner. */
export const PutAllocationsV1_8 = Type.Object(
  { allocations: PutAllocationsV1_0.properties.allocations, project_id: owner, user_id: owner },
  { additionalProperties: false },
);

function byProvider(minProperties: number): TSchema {
  return Type.Object(
    {},
    {
      minProperties,
      patternProperties: {
        [UUID_PATTERN]: Type.Object(
          { generation: Type.Optional(Type.Integer()), resources },
          { additionalProperties: false },
        ),
      },
      additionalProperties: false,
    },
  );
}

const generation = Type.Union([Type.Integer(), Type.Null()]);
const mappings = Type.Object(
  {},
  {
    minProperties: 1,
    patternProperties: {
      [GROUP_PAT_1_33]: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1 }),
    },
  },
);
const consumerType = Type.String({ pattern: CONSUMER_TYPE_PATTERN, minLength: 1, maxLength: 255 });

/** One consumer's allocations in the object form of 1.12+, for the version ranges. */
function consumerSchema(opts: {
  emptyAllowed: boolean;
  generation?: boolean;
  mappings?: boolean;
  consumerType?: boolean;
}) {
  return Type.Object(
    {
      allocations: byProvider(opts.emptyAllowed ? 0 : 1),
      project_id: owner,
      user_id: owner,
      ...(opts.generation ? { consumer_generation: generation } : {}),
      ...(opts.mappings ? { mappings: Type.Optional(mappings) } : {}),
      ...(opts.consumerType ? { consumer_type: consumerType } : {}),
    },
    { additionalProperties: false },
  );
}

/** PUT /allocations/{consumer}, 1.12 to 1.27. */
export const PutAllocationsV1_12 = consumerSchema({ emptyAllowed: false });
/** PUT /allocations/{consumer}, 1.28 to 1.33 (consumer generations, empty means delete). */
export const PutAllocationsV1_28 = consumerSchema({ emptyAllowed: true, generation: true });
/** PUT /allocations/{consumer}, 1.34 to 1.37 (mappings accepted and ignored). */
export const PutAllocationsV1_34 = consumerSchema({
  emptyAllowed: true,
  generation: true,
  mappings: true,
});
/** PUT /allocations/{consumer} from 1.38 (consumer types). */
export const PutAllocationsV1_38 = consumerSchema({
  emptyAllowed: true,
  generation: true,
  mappings: true,
  consumerType: true,
});

function byConsumer(consumer: TSchema, minProperties = 1) {
  return Type.Object(
    {},
    { minProperties, patternProperties: { [UUID_PATTERN]: consumer }, additionalProperties: false },
  );
}

/** POST /allocations, 1.13 to 1.27. */
export const PostAllocationsV1_13 = byConsumer(consumerSchema({ emptyAllowed: true }));
/** POST /allocations, 1.28 to 1.33. */
export const PostAllocationsV1_28 = byConsumer(PutAllocationsV1_28);
/** POST /allocations, 1.34 to 1.37. */
export const PostAllocationsV1_34 = byConsumer(PutAllocationsV1_34);
/** POST /allocations from 1.38. */
export const PostAllocationsV1_38 = byConsumer(PutAllocationsV1_38);

/** The allocations of the reshaper (like POST /allocations, but may be empty), by version. */
export const ReshaperAllocations = {
  v1_30: byConsumer(PutAllocationsV1_28, 0),
  v1_34: byConsumer(PutAllocationsV1_34, 0),
  v1_38: byConsumer(PutAllocationsV1_38, 0),
};

/** One consumer's allocations in the object form. */
export interface ConsumerAllocationsBody {
  allocations: Record<string, { generation?: number; resources: Record<string, number> }>;
  project_id: string;
  user_id: string;
  consumer_generation?: number | null;
  consumer_type?: string;
  mappings?: Record<string, string[]>;
}

/** The list form of PUT /allocations/{consumer} before 1.12. */
export interface ListAllocationsBody {
  allocations: { resource_provider: { uuid: string }; resources: Record<string, number> }[];
  project_id?: string;
  user_id?: string;
}
