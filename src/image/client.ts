import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  OverLimitError,
  ServiceUnavailableError,
  StratusError,
  TimeoutError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
} from '../common/errors.js';
import { jsonRequest, type JsonAnswer } from '../platform/http/json-request.js';

/** An image as the image API shows it (Glance v2 wire form; extra properties are strings). */
export interface ImageView {
  id: string;
  name: string | null;
  status: string;
  visibility: string;
  owner: string | null;
  size: number | null;
  virtual_size: number | null;
  checksum: string | null;
  os_hash_algo: string | null;
  os_hash_value: string | null;
  disk_format: string | null;
  container_format: string | null;
  min_disk: number;
  min_ram: number;
  protected: boolean;
  os_hidden: boolean;
  tags: string[];
  created_at: string;
  updated_at: string;
  [property: string]: unknown;
}

/** Who a call is made for: the caller's token, and its request id to carry along. */
export interface CallerAuth {
  token: string;
  requestId?: string;
}

/** How the client reaches the image API. */
export interface ImageClientOptions {
  /**
   * The image API's base URL, e.g. `http://10.0.0.5:9292`, or how to find it (the catalog's
   * `image` endpoint, looked up at each call so a catalog change is followed).
   */
  endpoint: string | (() => Promise<string>);
  /** Deadline of each call until the response headers arrive (default 30 s). */
  timeoutMs?: number;
}

/** One operation of a Glance v2 image PATCH (`application/openstack-images-v2.1-json-patch`). */
export interface ImagePatchOp {
  op: 'add' | 'replace' | 'remove';
  /** A JSON pointer to a top-level attribute or property, e.g. `/hw_disk_bus`. */
  path: string;
  value?: unknown;
}

/** The JSON pointer of a top-level image attribute (RFC 6901 escapes). */
export function imagePointer(name: string): string {
  return `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Image data being downloaded. */
export interface ImageDownload {
  /** The bytes (or the requested range of them); consume or destroy it. */
  stream: Readable;
  /** Bytes in `stream`. */
  length: number;
  /** The MD5 of the whole image (Content-MD5), for verifying a full download. */
  checksum: string | undefined;
}

/** The message of a Glance fault body: WebOb's explanation and detail, without its markup. */
function faultMessage(text: string): string {
  let msg = text;
  try {
    const body = JSON.parse(text) as { message?: string; error?: { message?: string } };
    msg = body.message ?? body.error?.message ?? text;
  } catch {
    // not JSON: use the text as it is
  }
  return msg
    .split(/<br\s*\/?>|\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
}

function errorFor(status: number, message: string): StratusError {
  switch (status) {
    case 400:
      return new BadRequestError(message);
    case 401:
      return new UnauthorizedError(message);
    case 403:
      return new ForbiddenError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    case 413:
      return new OverLimitError(message);
    case 415:
      return new UnsupportedMediaTypeError(message);
    default:
      return status >= 500
        ? new ServiceUnavailableError(`image service error ${status}: ${message}`)
        : new StratusError(message, { status, code: 'image.client' });
  }
}

/**
 * The image service's client for other services: the compute API's image proxy and the compute
 * agent. Calls are made with the caller's token (so the image service applies the caller's
 * visibility and policy), each with a deadline; failures arrive as typed StratusErrors.
 */
export class ImageClient {
  private readonly endpoint: () => Promise<string>;
  private readonly timeoutMs: number;

  constructor(opts: ImageClientOptions) {
    const { endpoint } = opts;
    this.endpoint = typeof endpoint === 'string' ? async () => endpoint : endpoint;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /** The image API's base URL (no trailing slash), e.g. for links to an image. */
  async baseUrl(): Promise<string> {
    return (await this.endpoint()).replace(/\/+$/, '');
  }

  /** One image; NotFoundError when it does not exist or the caller may not see it. */
  async show(auth: CallerAuth, id: string): Promise<ImageView> {
    return this.callJson<ImageView>(auth, 'GET', `/v2/images/${encodeURIComponent(id)}`);
  }

  /**
   * One page of images. `query` takes Glance's list parameters (name, status, visibility,
   * member_status, tag, sort, limit, marker, ...); `next` is the marker of the next page.
   */
  async list(
    auth: CallerAuth,
    query: Record<string, string | number | string[]> = {},
  ): Promise<{ images: ImageView[]; next?: string }> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      for (const x of Array.isArray(v) ? v : [v]) params.append(k, String(x));
    }
    const qs = params.toString();
    const body = await this.callJson<{ images: ImageView[]; next?: string }>(
      auth,
      'GET',
      `/v2/images${qs ? `?${qs}` : ''}`,
    );
    // `next` is a path with a query; any base parses it.
    const marker = body.next ? new URL(body.next, 'http://image').searchParams.get('marker') : null;
    return marker ? { images: body.images, next: marker } : { images: body.images };
  }

  /** Every image matching `query`, following the pages. */
  async *listAll(
    auth: CallerAuth,
    query: Record<string, string | number | string[]> = {},
  ): AsyncGenerator<ImageView> {
    let marker: string | undefined;
    do {
      const page = await this.list(auth, marker ? { ...query, marker } : query);
      yield* page.images;
      marker = page.next;
    } while (marker);
  }

  /** Creates an image record (queued, no data yet). */
  async create(auth: CallerAuth, image: Record<string, unknown>): Promise<ImageView> {
    return this.callJson<ImageView>(auth, 'POST', '/v2/images', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(image),
    });
  }

  /**
   * Changes an image with Glance v2 JSON-patch operations (all applied or none) and answers the
   * image as it is afterwards.
   */
  async update(auth: CallerAuth, id: string, ops: readonly ImagePatchOp[]): Promise<ImageView> {
    return this.callJson<ImageView>(auth, 'PATCH', `/v2/images/${encodeURIComponent(id)}`, {
      headers: { 'content-type': 'application/openstack-images-v2.1-json-patch' },
      body: JSON.stringify(ops),
    });
  }

  /** Uploads an image's data from a stream (never buffered); `size` when known. */
  async upload(auth: CallerAuth, id: string, data: Readable, size?: number): Promise<void> {
    await this.call(auth, 'PUT', `/v2/images/${encodeURIComponent(id)}/file`, {
      headers: {
        'content-type': 'application/octet-stream',
        ...(size === undefined ? {} : { 'content-length': String(size) }),
      },
      body: Readable.toWeb(data) as unknown as NonNullable<RequestInit['body']>,
      duplex: 'half',
      // Uploads take as long as the data does; only the caller's signal ends them.
      noDeadline: true,
    });
  }

  /** Deletes an image. */
  async delete(auth: CallerAuth, id: string): Promise<void> {
    await this.call(auth, 'DELETE', `/v2/images/${encodeURIComponent(id)}`);
  }

  /**
   * Streams an image's data, or the inclusive byte range [start, end] of it. Undefined when
   * the image has no data (Glance's 204). The deadline covers the response headers; the caller
   * bounds the transfer with `signal`.
   */
  async download(
    auth: CallerAuth,
    id: string,
    opts: { range?: { start: number; end: number }; signal?: AbortSignal } = {},
  ): Promise<ImageDownload | undefined> {
    const r = await this.call(auth, 'GET', `/v2/images/${encodeURIComponent(id)}/file`, {
      headers: opts.range ? { range: `bytes=${opts.range.start}-${opts.range.end}` } : {},
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (r.status === 204 || !r.body) return undefined;
    return {
      stream: Readable.fromWeb(r.body as unknown as WebReadableStream),
      length: Number(r.headers.get('content-length') ?? 0),
      checksum: r.headers.get('content-md5') ?? undefined,
    };
  }

  private async call(
    auth: CallerAuth,
    method: string,
    path: string,
    init: {
      headers?: Record<string, string>;
      body?: NonNullable<RequestInit['body']>;
      duplex?: 'half';
      signal?: AbortSignal;
      noDeadline?: boolean;
    } = {},
  ): Promise<Response> {
    // The catalog lookup has its own deadline and typed errors.
    const base = await this.baseUrl();
    const deadline = new AbortController();
    const timer = init.noDeadline ? undefined : setTimeout(() => deadline.abort(), this.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline.signal]) : deadline.signal;
    let r: Response;
    try {
      r = await fetch(`${base}${path}`, {
        method,
        headers: this.headers(auth, init.headers),
        ...(init.body === undefined ? {} : { body: init.body }),
        ...(init.duplex ? ({ duplex: init.duplex } as object) : {}),
        signal,
      } as RequestInit);
    } catch (err) {
      throw this.unreachable(err, deadline.signal.aborted, method, path);
    } finally {
      clearTimeout(timer);
    }
    if (r.status >= 400) throw errorFor(r.status, faultMessage(await r.text()));
    return r;
  }

  /**
   * A JSON call over node:http: the compute API shows an image on every boot, and fetch cost
   * several times the CPU of the request itself. Streams (data up and down) stay on call().
   */
  private async callJson<T>(
    auth: CallerAuth,
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<T> {
    const base = await this.baseUrl();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.timeoutMs);
    let r: JsonAnswer;
    try {
      r = await jsonRequest(`${base}${path}`, {
        method,
        headers: this.headers(auth, init.headers),
        body: init.body,
        signal: deadline.signal,
      });
    } catch (err) {
      throw this.unreachable(err, deadline.signal.aborted, method, path);
    } finally {
      clearTimeout(timer);
    }
    if (r.status >= 400) throw errorFor(r.status, faultMessage(r.text));
    return JSON.parse(r.text) as T;
  }

  private headers(auth: CallerAuth, extra: Record<string, string> = {}): Record<string, string> {
    return {
      accept: 'application/json',
      'x-auth-token': auth.token,
      ...(auth.requestId ? { 'x-openstack-request-id': auth.requestId } : {}),
      ...extra,
    };
  }

  /** The error of a request that got no answer: its deadline passed, or the service is down. */
  private unreachable(err: unknown, timedOut: boolean, method: string, path: string): Error {
    if (timedOut) {
      return new TimeoutError(
        `image service ${method} ${path} timed out after ${this.timeoutMs} ms`,
      );
    }
    return new ServiceUnavailableError(`image service unreachable: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
