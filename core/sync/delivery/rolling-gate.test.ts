import { describe, expect, it } from 'vitest';
import { AccountQueue } from './account-queue.js';

describe('account pacing', () => {
  it('never starts a call within the interval after the response of the call that held its slot', async () => {
    const queue = new AccountQueue({ rateLimit: { requests: 3, intervalMs: 150 }, concurrency: 5 });
    const spans: Array<{ start: number; end: number }> = [];
    await Promise.all(Array.from({ length: 12 }, (_, index) => queue.request('call', async () => {
      const start = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 5 + (index % 3) * 10));
      spans.push({ start, end: performance.now() });
    })));
    await queue.close();
    spans.sort((a, b) => a.start - b.start);
    // With 3 slots, the (i+3)-th start must come after some earlier response + interval: at any
    // start, fewer than 3 calls are running or answered within the last 150 ms.
    for (const { start } of spans) {
      const holding = spans.filter((other) => other.start < start && start - other.end < 150);
      expect(holding.length).toBeLessThan(3);
    }
    expect(spans).toHaveLength(12);
  });
});

describe('account pauses', () => {
  it('a throttle pause also holds a call that already had its rate slot', async () => {
    const queue = new AccountQueue({ rateLimit: { requests: 10, intervalMs: 1_000 }, concurrency: 2 });
    const starts: number[] = [];
    const begin = performance.now();
    queue.pauseFor(150);
    await Promise.all([0, 1].map(() => queue.request('call', () => {
      starts.push(performance.now() - begin);
      return Promise.resolve();
    })));
    await queue.close();
    for (const start of starts) expect(start).toBeGreaterThanOrEqual(140);
  });

  it('resume() ends a pause at once (an interrupted run drains instead of waiting)', async () => {
    const queue = new AccountQueue({ rateLimit: null, concurrency: 1 });
    queue.pauseFor(60_000);
    const begin = performance.now();
    const call = queue.request('call', () => Promise.resolve(performance.now() - begin));
    queue.resume();
    expect(await call).toBeLessThan(1_000);
    await queue.close();
  });
});
