/**
 * Token buckets, one per key (a key digest's hex, or a client address):
 * `perSecond` tokens flow in, at most `burst` wait. Pure apart from the
 * injected clock, so tests step time instead of sleeping. The map is bounded
 * (least recently used bucket dropped first): a flood of new addresses costs
 * memory no more than `maxKeys` buckets; a dropped bucket comes back full,
 * which only ever errs towards admitting.
 */
export interface RateLimiter {
  /** Takes one token: undefined when admitted, else the whole seconds until one is available (for Retry-After). */
  take(key: string): number | undefined;
}

export interface RateLimiterOptions {
  perSecond: number;
  /** Tokens a bucket holds when full. @default 2 × perSecond (at least 1) */
  burst?: number;
  /** Milliseconds, monotonic. */
  now: () => number;
  /** @default 10_000 */
  maxKeys?: number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const burst = Math.max(1, options.burst ?? options.perSecond * 2);
  const maxKeys = options.maxKeys ?? 10_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const now = options.now();
      const previous = buckets.get(key);
      const elapsed = previous === undefined ? 0 : Math.max(0, now - previous.at);
      const tokens = previous === undefined ? burst : Math.min(burst, previous.tokens + (elapsed / 1000) * options.perSecond);
      buckets.delete(key);
      if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value as string);
      if (tokens >= 1) {
        buckets.set(key, { tokens: tokens - 1, at: now });
        return undefined;
      }
      buckets.set(key, { tokens, at: now });
      return Math.max(1, Math.ceil((1 - tokens) / options.perSecond));
    },
  };
}
