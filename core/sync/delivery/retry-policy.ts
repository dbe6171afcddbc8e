import { ConnectorError } from '../../errors/connector-error.js';

/**
 * When to try again, as pure decisions. Exponential backoff with full
 * jitter (AWS's "Exponential Backoff and Jitter") for failures; the vendor's
 * own wait for throttling, which does not use up the attempts: a 429 storm
 * is the vendor pacing us, not the change failing.
 */
export interface RetryPolicy {
  /** Attempts per change for non-throttle retryable failures. @default 6 */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Default wait when the vendor throttles without saying how long. */
  throttleWaitMs: number;
  /** A vendor wait longer than this (a daily quota) stops the run instead of sleeping through it. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  throttleWaitMs: 2_000,
  maxWaitMs: 10 * 60_000,
};

export type RetryDecision =
  | { action: 'retry'; delayMs: number; countsAsAttempt: boolean }
  | { action: 'give-up'; reason: string }
  | { action: 'stop-run'; reason: string };

export function decideRetry(error: unknown, attempt: number, policy: RetryPolicy, random: () => number): RetryDecision {
  const failure = asConnectorError(error);
  if (failure.kind === 'config') return { action: 'stop-run', reason: failure.message };
  if (failure.kind === 'permanent') return { action: 'give-up', reason: failure.message };
  const hinted = failure.details.retryAfterMs;
  if (hinted !== undefined && hinted > policy.maxWaitMs) {
    return { action: 'stop-run', reason: `${failure.message} (the vendor asks to wait ${Math.round(hinted / 60_000)} min; the next run resumes where this one stopped)` };
  }
  if (failure.details.throttled) return { action: 'retry', delayMs: hinted ?? policy.throttleWaitMs, countsAsAttempt: false };
  if (attempt >= policy.maxAttempts) return { action: 'give-up', reason: `${failure.message} (gave up after ${attempt} attempts; the next run retries)` };
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return { action: 'retry', delayMs: Math.max(hinted ?? 0, Math.round(random() * ceiling)), countsAsAttempt: true };
}

/** Anything a sink throws that is not in the taxonomy (a TypeError from a socket) is treated as retryable. */
export function asConnectorError(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectorError('retryable', 'sync.unexpected', `unexpected error: ${message}`, { cause: error });
}
