import type { QueryParams } from '../routing/query-params.js';

/** One link of a resource or collection. */
export interface Link {
  rel: string;
  href: string;
}

function join(...parts: string[]): string {
  return parts
    .filter((p) => p !== '')
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .join('/');
}

/**
 * Builds the links Nova puts in responses (common.ViewBuilder): `self` under the API root the
 * client used, `bookmark` under the same root without its version, and a collection's `next`
 * link; the project id appears in them when the request URL carried it.
 */
export class LinkBuilder {
  constructor(
    /** e.g. `http://10.0.0.5:8774/v2.1` */
    private readonly appUrl: string,
    private readonly projectId: string | null,
    private readonly query: QueryParams,
    private readonly maxLimit: number,
  ) {}

  /** The root every link starts from (the API URL and the project id when the URL had it). */
  get root(): string {
    return join(this.appUrl, this.projectId ?? '');
  }

  /** The `self` URL of a member. */
  href(collection: string, id: string | number): string {
    return join(this.appUrl, this.projectId ?? '', collection, String(id));
  }

  /** The version-less `bookmark` URL of a member. */
  bookmark(collection: string, id: string | number): string {
    const root = this.appUrl.replace(/\/v\d+(\.\d+)?\/?$/, '');
    return join(root, this.projectId ?? '', collection, String(id));
  }

  /** `[self, bookmark]` of a member. */
  member(collection: string, id: string | number): Link[] {
    return [
      { rel: 'self', href: this.href(collection, id) },
      { rel: 'bookmark', href: this.bookmark(collection, id) },
    ];
  }

  /**
   * The `next` link of a page, present when the page is full: `limit` given and reached, or the
   * page has max_limit items; `idOf` picks the marker from the last item.
   */
  collection<T>(items: readonly T[], collection: string, idOf: (item: T) => string): Link[] {
    const asked = Number.parseInt(this.query.get('limit') ?? '', 10);
    const maxItems = Math.min(Number.isNaN(asked) ? this.maxLimit : asked, this.maxLimit);
    if (!maxItems || maxItems !== items.length) return [];
    const params = new Map(this.query.entries());
    params.set('marker', idOf(items[items.length - 1]!));
    const qs = new URLSearchParams([...params.entries()]).toString();
    return [{ rel: 'next', href: `${join(this.appUrl, this.projectId ?? '', collection)}?${qs}` }];
  }
}
