import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.js';

describe('token bucket per key', () => {
  it('admits a burst, then answers with the seconds until the next token, and refills with time', () => {
    let now = 0;
    const limiter = createRateLimiter({ perSecond: 2, now: () => now });
    const burst = Array.from({ length: 4 }, () => limiter.take('a'));
    expect(burst).toEqual([undefined, undefined, undefined, undefined]);
    expect(limiter.take('a')).toBe(1);
    now += 500;
    expect(limiter.take('a')).toBeUndefined();
    expect(limiter.take('a')).toBe(1);
  });

  it('keeps keys apart: one key over its budget does not slow another', () => {
    const limiter = createRateLimiter({ perSecond: 1, burst: 1, now: () => 0 });
    expect(limiter.take('a')).toBeUndefined();
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBeUndefined();
  });

  it('asks for a longer wait when the rate is below one a second', () => {
    const limiter = createRateLimiter({ perSecond: 0.5, burst: 1, now: () => 0 });
    limiter.take('address');
    expect(limiter.take('address')).toBe(2);
  });

  it('holds at most maxKeys buckets, dropping the least recently used (which comes back full)', () => {
    const limiter = createRateLimiter({ perSecond: 1, burst: 1, now: () => 0, maxKeys: 2 });
    limiter.take('a');
    limiter.take('b');
    limiter.take('a');
    limiter.take('c');
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBeUndefined();
  });
});
