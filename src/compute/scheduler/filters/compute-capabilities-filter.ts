import type { HostFilter } from './host-filter.js';

function lookup(obj: Record<string, unknown>, path: string[]): unknown {
  let cur: unknown = obj;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Matches one extra-spec requirement (`<or>`, `s==`, `>=`, `<in>`, plain equality) as Nova's extra_specs_ops. */
export function extraSpecMatches(actual: unknown, requirement: string): boolean {
  const words = requirement.trim().split(/\s+/);
  const op = words[0] ?? '';
  const value = actual === undefined || actual === null ? undefined : String(actual);
  if (value === undefined) return false;
  const rest = words.slice(1);
  switch (op) {
    case '<or>':
      return rest.filter((w) => w !== '<or>').includes(value);
    case '<in>':
      return rest.length > 0 && value.includes(rest.join(' '));
    case '<all-in>':
      return rest.every((w) => value.includes(w));
    case 's==':
      return value === rest.join(' ');
    case 's!=':
      return value !== rest.join(' ');
    case 's>=':
      return value >= rest.join(' ');
    case 's<=':
      return value <= rest.join(' ');
    case 's>':
      return value > rest.join(' ');
    case 's<':
      return value < rest.join(' ');
    case '=':
    case '>=':
      return Number(value) >= Number(rest[0]);
    case '<=':
      return Number(value) <= Number(rest[0]);
    case '==':
      return Number(value) === Number(rest[0]);
    case '!=':
      return Number(value) !== Number(rest[0]);
    default:
      return value === requirement;
  }
}

/**
 * ComputeCapabilitiesFilter: flavor extra specs in the `capabilities:` scope (or unscoped keys
 * naming a host capability) must match the host, e.g. `capabilities:cpu_info:arch = x86_64`.
 */
export const computeCapabilitiesFilter: HostFilter = {
  name: 'ComputeCapabilitiesFilter',
  passes: (host, req) => {
    for (const [key, requirement] of Object.entries(req.flavor.extraSpecs)) {
      const parts = key.split(':');
      if (parts.length > 1 && parts[0] !== 'capabilities') continue;
      const path = parts[0] === 'capabilities' ? parts.slice(1) : parts;
      const actual = lookup(host.capabilities, path);
      if (actual === undefined && parts[0] !== 'capabilities') continue;
      if (!extraSpecMatches(actual, requirement)) return false;
    }
    return true;
  },
};
