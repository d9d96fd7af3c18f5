import type { ExtraSpecDefinition } from './extra-spec-definition.js';

const GROUP = { name: 'group', pattern: '([a-zA-Z0-9_-]{1,64})?' };

/**
 * The `resources{group}:<class>` and `trait{group}:<trait>` extra specs. Upstream enumerates
 * os-resource-classes and os-traits here; Stratus accepts any name of their form
 * (upper-case letters, digits and underscores), which standard and CUSTOM_ names share, so a
 * misspelt standard name is left for placement to reject.
 */
export const PLACEMENT_EXTRA_SPECS: readonly ExtraSpecDefinition[] = [
  {
    name: 'resources{group}:{resource}',
    type: 'int',
    params: [GROUP, { name: 'resource', pattern: '[A-Z0-9_]+' }],
  },
  {
    name: 'trait{group}:{trait}',
    type: 'str',
    enum: ['required', 'forbidden'],
    params: [GROUP, { name: 'trait', pattern: '[A-Z0-9_]+' }],
  },
];
