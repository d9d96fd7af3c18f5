import { Versioned } from '../microversion/versioned.js';
import { multiParams, paginationParams, querySchema } from '../validation/parameter-types.js';

const window = { start: multiParams(), end: multiParams() };

/** GET /os-simple-tenant-usage: paging at 2.40, strict from 2.75. */
export const usageListQueries = new Versioned<object>([
  [['2.0', '2.39'], querySchema({ ...window, detailed: multiParams() }, true)],
  [
    ['2.40', '2.74'],
    querySchema({ ...window, detailed: multiParams(), ...paginationParams }, true),
  ],
  [['2.75'], querySchema({ ...window, detailed: multiParams(), ...paginationParams }, false)],
]);

/** GET /os-simple-tenant-usage/{project}. */
export const usageShowQueries = new Versioned<object>([
  [['2.0', '2.39'], querySchema(window, true)],
  [['2.40', '2.74'], querySchema({ ...window, ...paginationParams }, true)],
  [['2.75'], querySchema({ ...window, ...paginationParams }, false)],
]);
