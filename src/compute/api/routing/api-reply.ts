/**
 * A handler result that sets more than the body: a status other than the operation's and
 * response headers (Nova's tag PUT answers 201 or 204 and a Location; create sends Location).
 */
export class ApiReply {
  constructor(
    /** The body, or undefined for none. */
    readonly body: unknown,
    readonly opts: { status?: number; headers?: Record<string, string> } = {},
  ) {}
}
