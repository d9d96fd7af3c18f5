import { BadRequestError } from '../../../common/errors.js';
import type { QueryDict } from '../validation/request-validator.js';

/**
 * Reads the raw query string of a URL into a dict of lists, keeping repeated parameters in
 * order (upstream validates `req.GET.dict_of_lists()`); a query that is not valid UTF-8
 * percent-encoding is a 400 as upstream.
 */
export function parseQueryString(url: string): QueryDict {
  const i = url.indexOf('?');
  const out: QueryDict = {};
  if (i < 0) return out;
  for (const part of url.slice(i + 1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      throw new BadRequestError('Query string is not UTF-8 encoded');
    }
    (out[key] ??= []).push(value);
  }
  return out;
}

/** The validated query parameters of a request, read as webob's MultiDict reads them. */
export class QueryParams {
  constructor(readonly dict: QueryDict) {}

  /** True when the parameter was given (even empty). */
  has(name: string): boolean {
    return name in this.dict;
  }

  /** The last value given, as `req.GET[name]` upstream; undefined when absent. */
  get(name: string): string | undefined {
    const v = this.dict[name];
    return v === undefined ? undefined : v[v.length - 1];
  }

  /** The first value given, as `parse_qs(...)[name][0]` upstream. */
  first(name: string): string | undefined {
    return this.dict[name]?.[0];
  }

  /** Every value given. */
  all(name: string): string[] {
    return this.dict[name] ?? [];
  }

  /** Every (name, value) pair, names sorted, as upstream builds `next` links. */
  entries(): [string, string][] {
    return Object.keys(this.dict)
      .sort()
      .map((k) => [k, this.get(k)!] as [string, string]);
  }
}
