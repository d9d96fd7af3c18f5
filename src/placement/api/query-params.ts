import { isUuidLike } from '../../common/ids.js';
import { badRequest } from '../placement-errors.js';
import type { Microversion } from './microversion.js';

/** Required traits (each inner set any-of, all sets required) and forbidden traits. */
export interface TraitQuery {
  required: string[][];
  forbidden: Set<string>;
}

/** Required aggregates (each inner list any-of, all lists required) and forbidden ones. */
export interface AggregateQuery {
  required: string[][];
  forbidden: Set<string>;
}

const RESOURCES_FORM =
  'Badly formed resources parameter. Expected resources query string parameter in form: ' +
  '?resources=VCPU:2,MEMORY_MB:1024.';

/** Parses `VCPU:2,MEMORY_MB:1024` into amounts by resource class name (upstream's rules). */
export function parseResources(value: string): Map<string, number> {
  if (value.trim() === '') throw badRequest(`${RESOURCES_FORM} Got: empty string.`);
  const out = new Map<string, number>();
  for (const item of value.split(',')) {
    const parts = item.split(':');
    if (parts.length !== 2) throw badRequest(`${RESOURCES_FORM} Got: ${item}.`);
    const [rc, amountText] = parts as [string, string];
    if (!/^\s*[+-]?\d+\s*$/.test(amountText)) {
      throw badRequest(
        `Requested resource ${rc} expected positive integer amount. Got: ${amountText}.`,
      );
    }
    const amount = Number.parseInt(amountText.trim(), 10);
    if (amount < 1) {
      throw badRequest(`Requested resource ${rc} requires amount >= 1. Got: ${amount}.`);
    }
    out.set(rc, amount);
  }
  return out;
}

/** Parses one `required` value: a trait list with `!` for forbidden, or (1.39) `in:A,B`. */
export function parseTraitValue(
  value: string,
  allowForbidden: boolean,
  allowAnyOf: boolean,
): TraitQuery {
  if (value.startsWith('in:')) {
    if (!allowAnyOf) {
      throw badRequest(
        "Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only " +
          `supported since microversion 1.39. Got: ${value}`,
      );
    }
    const anyOf = [
      ...new Set(
        value
          .slice(3)
          .split(',')
          .map((s) => s.trim()),
      ),
    ];
    if (anyOf.some((t) => t === '')) {
      throw badRequest(
        "Invalid query string parameters: Expected 'required' parameter value of the form: " +
          `in:HW_CPU_X86_VMX,CUSTOM_MAGIC. Got an empty trait in: ${value}`,
      );
    }
    if (anyOf.some((t) => t.startsWith('!'))) {
      throw badRequest(
        "Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' does not " +
          `support forbidden traits. Got: ${value}`,
      );
    }
    return { required: [anyOf], forbidden: new Set() };
  }
  const all = value.split(',').map((s) => s.trim());
  // Upstream strips any number of leading '!' (a known quirk kept for compatibility).
  const forbidden = new Set(all.filter((t) => t.startsWith('!')).map((t) => t.replace(/^!+/, '')));
  if (all.some((t) => t === '') || [...forbidden].some((t) => t === '')) {
    const form = allowForbidden ? 'HW_CPU_X86_VMX,!CUSTOM_MAGIC' : 'HW_CPU_X86_VMX,CUSTOM_MAGIC';
    throw badRequest(
      "Invalid query string parameters: Expected 'required' parameter value of the form: " +
        `${form}. Got an empty trait in: ${value}`,
    );
  }
  if (forbidden.size > 0 && !allowForbidden) {
    throw badRequest(
      "Invalid query string parameters: Expected 'required' parameter value of the form: " +
        `HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: ${value}`,
    );
  }
  const required = [...new Set(all.filter((t) => !t.startsWith('!')))].map((t) => [t]);
  return { required, forbidden };
}

/**
 * Collects the `required<suffix>` parameters: forbidden traits from 1.22, any-of and repeated
 * parameters from 1.39 (before, only the last one counts, as upstream).
 */
export function parseTraitParams(
  params: URLSearchParams,
  version: Microversion,
  suffix = '',
): TraitQuery {
  const allowForbidden = version.atLeast(22);
  const allowAnyOf = version.atLeast(39);
  let values = params.getAll(`required${suffix}`);
  if (!allowAnyOf) values = values.slice(-1);
  const out: TraitQuery = { required: [], forbidden: new Set() };
  for (const v of values) {
    const q = parseTraitValue(v, allowForbidden, allowAnyOf);
    out.required.push(...q.required);
    for (const f of q.forbidden) out.forbidden.add(f);
  }
  return out;
}

/** Parses one `member_of` value: a UUID, `!uuid`, `in:a,b` or `!in:a,b`. */
export function parseMemberOfValue(value: string): { required: string[]; forbidden: string[] } {
  if (value.includes(',') && !value.startsWith('in:') && !value.startsWith('!in:')) {
    throw badRequest(
      "Multiple values for 'member_of' must be prefixed with the 'in:' or '!in:' keyword " +
        `using the valid microversion. Got: ${value}`,
    );
  }
  let required: string[] = [];
  let forbidden: string[] = [];
  if (value.startsWith('!in:')) forbidden = value.slice(4).split(',');
  else if (value.startsWith('!')) forbidden = [value.slice(1)];
  else if (value.startsWith('in:')) required = value.slice(3).split(',');
  else required = [value];
  for (const agg of [...required, ...forbidden]) {
    if (!isUuidLike(agg)) {
      throw badRequest(
        "Invalid query string parameters: Expected 'member_of' parameter to contain valid " +
          `UUID(s). Got: ${agg}`,
      );
    }
  }
  return { required: [...new Set(required)], forbidden: [...new Set(forbidden)] };
}

/** Collects the `member_of<suffix>` parameters: several from 1.24, forbidden from 1.32. */
export function parseMemberOfParams(
  params: URLSearchParams,
  version: Microversion,
  suffix = '',
): AggregateQuery {
  const values = params.getAll(`member_of${suffix}`);
  if (!version.atLeast(24) && values.length > 1) {
    throw badRequest(`Multiple member_of${suffix} parameters are not supported`);
  }
  const out: AggregateQuery = { required: [], forbidden: new Set() };
  for (const v of values) {
    const q = parseMemberOfValue(v);
    if (q.required.length > 0) out.required.push(q.required);
    if (q.forbidden.length > 0) {
      if (!version.atLeast(32)) {
        throw badRequest(
          `Forbidden member_of${suffix} parameters are not supported in the specified microversion`,
        );
      }
      for (const f of q.forbidden) out.forbidden.add(f);
    }
  }
  return out;
}

/** Parses an `in_tree` value: a provider UUID. */
export function parseInTree(value: string): string {
  const v = value.trim();
  if (!isUuidLike(v)) {
    throw badRequest(
      "Invalid query string parameters: Expected 'in_tree' parameter to be a format of uuid. " +
        `Got: ${value}`,
    );
  }
  return v;
}

/** The canonical (dashed, lower-case) form of a UUID that isUuidLike accepted. */
export function canonicalUuid(value: string): string {
  const hex = value.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
