/**
 * How long to wait before retrying an export request. Pure functions: the
 * source owns the clock, the sleep and the randomness.
 */
export interface RetryPolicy {
  /** Attempts after a 5xx or a failed connection before the run stops. @default 5 */
  maxServerRetries: number;
  /** 429s waited out before the run stops (they use no server retry). @default 8 */
  maxThrottleWaits: number;
  /** First backoff. @default 2000 (Mixpanel's import guidance: start at 2 s) */
  baseDelayMs: number;
  /** Longest backoff for a 5xx. @default 60000 */
  maxDelayMs: number;
  /**
   * Longest wait for a 429 without Retry-After: the hourly budget can take
   * minutes to free up, so throttles back off further than errors.
   * @default 300000
   */
  maxThrottleDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxServerRetries: 5,
  maxThrottleWaits: 8,
  baseDelayMs: 2_000,
  maxDelayMs: 60_000,
  maxThrottleDelayMs: 300_000,
};

/**
 * Exponential backoff with "equal jitter" (half fixed, half random): never
 * shorter than half the step, so a herd of workers spreads out without any
 * of them retrying at once. `attempt` counts from 0.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const step = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(step / 2 + (step / 2) * random());
}

/**
 * Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110
 * §10.2.3). Undefined when absent or unreadable, so the caller backs off.
 */
export function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
