/**
 * The Raw Export API allows 60 queries per hour and 3 per second per project
 * (vendor-facts.md §4); past either it answers 429. The source paces itself
 * below both so that its own requests never cause a 429: a 429 then means
 * someone else (another job on the project) used the budget.
 */
export interface RateWindow {
  /** Requests allowed in any window of `ms`. */
  limit: number;
  ms: number;
}

export const MIXPANEL_EXPORT_WINDOWS: readonly RateWindow[] = [
  { limit: 3, ms: 1_000 },
  { limit: 60, ms: 3_600_000 },
];

/**
 * Milliseconds to wait before the next request may start, given the start
 * times of earlier requests (ascending). Pure: the decision is testable
 * without a clock.
 */
export function waitBeforeNext(starts: readonly number[], now: number, windows: readonly RateWindow[]): number {
  let wait = 0;
  for (const window of windows) {
    const inWindow = starts.filter((start) => start > now - window.ms);
    if (inWindow.length < window.limit) continue;
    // The oldest request that must leave the window before one more fits.
    const blocking = inWindow[inWindow.length - window.limit]!;
    wait = Math.max(wait, blocking + window.ms - now);
  }
  return wait;
}

export interface RateLimiterOptions {
  windows: readonly RateWindow[];
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface RateLimiter {
  /** Resolves when one more request may start (and counts it); rejects when `signal` aborts. */
  acquire(signal: AbortSignal): Promise<void>;
  /** How long acquire() has waited in total (for the run summary or tests). */
  waitedMs(): number;
}

/** One per source instance: the budget is per project and lives as long as the process. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const longest = Math.max(...options.windows.map((window) => window.ms));
  let starts: number[] = [];
  let waited = 0;
  return {
    async acquire(signal) {
      for (;;) {
        signal.throwIfAborted();
        const now = options.now();
        starts = starts.filter((start) => start > now - longest);
        const wait = waitBeforeNext(starts, now, options.windows);
        if (wait <= 0) {
          starts.push(now);
          return;
        }
        waited += wait;
        await options.sleep(wait, signal);
      }
    },
    waitedMs: () => waited,
  };
}
