import { Type, type Static } from '@sinclair/typebox';
import { MAX_INT, RC_PATTERN, SQL_SP_FLOAT_MAX } from './common.js';

const count = (minimum: number) => Type.Integer({ maximum: MAX_INT, minimum });

const fields = {
  total: count(1),
  reserved: Type.Optional(count(0)),
  min_unit: Type.Optional(count(1)),
  max_unit: Type.Optional(count(1)),
  step_size: Type.Optional(count(1)),
  allocation_ratio: Type.Optional(Type.Number({ maximum: SQL_SP_FLOAT_MAX })),
};

/** PUT /resource_providers/{uuid}/inventories/{rc}. */
export const PutInventory = Type.Object(
  { resource_provider_generation: Type.Integer(), ...fields },
  { additionalProperties: false },
);

/** The body of PUT .../inventories/{rc}. */
export type PutInventoryBody = Static<typeof PutInventory>;

/** POST /resource_providers/{uuid}/inventories. */
export const PostInventory = Type.Object(
  {
    resource_provider_generation: Type.Optional(Type.Integer()),
    ...fields,
    resource_class: Type.String({ pattern: RC_PATTERN }),
  },
  { additionalProperties: false },
);

/** The body of POST .../inventories. */
export type PostInventoryBody = Static<typeof PostInventory>;

/** One inventory inside PUT .../inventories (no generation needed). */
export const InventoryRecordSchema = Type.Object(
  { resource_provider_generation: Type.Optional(Type.Integer()), ...fields },
  { additionalProperties: false },
);

/** PUT /resource_providers/{uuid}/inventories. */
export const PutInventories = Type.Object(
  {
    resource_provider_generation: Type.Integer(),
    inventories: Type.Object({}, { patternProperties: { [RC_PATTERN]: InventoryRecordSchema } }),
  },
  { additionalProperties: false },
);

/** The body of PUT .../inventories. */
export interface PutInventoriesBody {
  resource_provider_generation: number;
  inventories: Record<string, Static<typeof InventoryRecordSchema>>;
}
