import { describe, expect, it } from 'vitest';
import { createRateLimiter, MIXPANEL_EXPORT_WINDOWS, waitBeforeNext } from './rate-limiter.js';
import { backoffDelay, retryAfterMs } from './retry-policy.js';

describe('waitBeforeNext', () => {
  it('allows 3 per second, then waits for the oldest to leave the window', () => {
    expect(waitBeforeNext([0, 100], 200, MIXPANEL_EXPORT_WINDOWS)).toBe(0);
    expect(waitBeforeNext([0, 100, 200], 300, MIXPANEL_EXPORT_WINDOWS)).toBe(700);
    expect(waitBeforeNext([0, 100, 200], 1_000, MIXPANEL_EXPORT_WINDOWS)).toBe(0);
  });

  it('allows 60 per hour, then waits for the hour of the oldest to pass', () => {
    const hour = Array.from({ length: 60 }, (_, index) => index * 10_000);
    expect(waitBeforeNext(hour, 600_000, MIXPANEL_EXPORT_WINDOWS)).toBe(3_000_000);
    expect(waitBeforeNext(hour.slice(1), 600_000, MIXPANEL_EXPORT_WINDOWS)).toBe(0);
  });
});

describe('createRateLimiter', () => {
  it('spaces 7 requests at 3/s over a fake clock and never exceeds either window', async () => {
    let now = 0;
    const starts: number[] = [];
    const limiter = createRateLimiter({ windows: MIXPANEL_EXPORT_WINDOWS, now: () => now, sleep: async (ms) => { now += ms; } });
    for (let index = 0; index < 7; index++) {
      await limiter.acquire(new AbortController().signal);
      starts.push(now);
    }
    expect(starts).toEqual([0, 0, 0, 1_000, 1_000, 1_000, 2_000]);
    expect(limiter.waitedMs()).toBe(2_000);
  });

  it('stops waiting when the run is aborted', async () => {
    const controller = new AbortController();
    const limiter = createRateLimiter({
      windows: [{ limit: 1, ms: 1_000 }], now: () => 0,
      sleep: async () => { controller.abort(); },
    });
    await limiter.acquire(controller.signal);
    await expect(limiter.acquire(controller.signal)).rejects.toThrow();
  });
});

describe('retry policy', () => {
  it('backs off exponentially with half the step fixed, capped', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, 2_000, 60_000, () => 0))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoffDelay(10, 2_000, 60_000, () => 1)).toBe(60_000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('7', 0)).toBe(7_000);
    expect(retryAfterMs(['3'], 0)).toBe(3_000);
    expect(retryAfterMs('Wed, 21 Oct 2026 07:28:10 GMT', Date.parse('2026-10-21T07:28:00Z'))).toBe(10_000);
    expect(retryAfterMs(undefined, 0)).toBeUndefined();
    expect(retryAfterMs('soon', 0)).toBeUndefined();
  });
});
