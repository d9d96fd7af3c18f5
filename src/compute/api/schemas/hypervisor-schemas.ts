import { Versioned } from '../microversion/versioned.js';
import {
  booleanParam,
  fqdn,
  nonNegativeInteger,
  paginationParams,
  querySchema,
  singleParam,
} from '../validation/parameter-types.js';

/** GET /os-hypervisors and /detail: paging at 2.33; from 2.53 pattern and with_servers, strict. */
export const hypervisorListQueries = new Versioned<object>([
  [['2.0', '2.32'], querySchema({}, true)],
  [['2.33', '2.52'], querySchema(paginationParams, true)],
  [
    ['2.53'],
    querySchema(
      {
        limit: singleParam(nonNegativeInteger),
        marker: singleParam(),
        hypervisor_hostname_pattern: singleParam(fqdn),
        with_servers: singleParam(booleanParam),
      },
      false,
    ),
  ],
]);

/** GET /os-hypervisors/{id}: `with_servers` from 2.53, strict. */
export const hypervisorShowQueries = new Versioned<object>([
  [['2.0', '2.52'], querySchema({}, true)],
  [['2.53'], querySchema({ with_servers: singleParam(booleanParam) }, false)],
]);
