import type { Clock } from '../../common/clock.js';
import { UnauthorizedError } from '../../common/errors.js';
import type { RequestContext, TokenValidator } from './request-context.js';

/** What a validated token grants. */
type Grant = Omit<RequestContext, 'requestId'>;

interface Entry {
  /** The answer, or the validation still under way (concurrent requests share it). */
  answer: Promise<Grant>;
  until: number;
  generation: number;
}

export interface TokenCacheOptions {
  /** How long an answer, valid or not, is reused; 0 turns the cache off. */
  ttlMs: number;
  clock: Clock;
  /**
   * A number that changes whenever something a validation depends on may have changed
   * (a user disabled, a role removed, a token revoked); answers from an older generation are
   * dropped. Without it only the time bounds an answer's life.
   */
  generation?: () => number;
  /** Bounds memory whatever callers send; the oldest entries go first. */
  maxEntries?: number;
}

/**
 * Remembers token validations, as keystonemiddleware's token cache does: an answer is reused
 * for `ttlMs`, never past the token's expiry and never across a change of `generation`.
 * Failures other than a 401 (the identity service unreachable) are not remembered.
 */
export class CachingTokenValidator implements TokenValidator {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;

  constructor(
    private readonly inner: TokenValidator,
    private readonly opts: TokenCacheOptions,
  ) {
    this.maxEntries = opts.maxEntries ?? 10_000;
  }

  validate(token: string): Promise<Grant> {
    if (this.opts.ttlMs <= 0) return this.inner.validate(token);
    const now = this.opts.clock.now();
    const generation = this.opts.generation?.() ?? 0;
    const hit = this.entries.get(token);
    if (hit && hit.until > now && hit.generation === generation) return hit.answer;
    if (hit) this.entries.delete(token);
    if (this.entries.size >= this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    const entry: Entry = {
      answer: this.inner.validate(token),
      until: now + this.opts.ttlMs,
      generation,
    };
    this.entries.set(token, entry);
    entry.answer.then(
      (grant) => {
        const expires = grant.expiresAt ? Date.parse(grant.expiresAt) : NaN;
        if (!Number.isNaN(expires)) entry.until = Math.min(entry.until, expires);
      },
      (err: unknown) => {
        if (!(err instanceof UnauthorizedError) && this.entries.get(token) === entry) {
          this.entries.delete(token);
        }
      },
    );
    return entry.answer;
  }
}
