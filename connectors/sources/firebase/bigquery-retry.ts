import { bigQueryError, classifyBigQueryError } from './bigquery-errors.js';

export interface RetryPolicy {
  /** Calls in all, the first included. @default 5 */
  attempts: number;
  /** Wait before the second call; doubles after each failure. @default 1000 */
  baseDelayMs: number;
  /** @default 32000 */
  maxDelayMs: number;
  /** Injected so tests do not wait; resolves early (and the call gives up) when the run is aborted. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 32_000, sleep: abortableSleep };

/**
 * Runs one BigQuery call, retrying throttles (429 / rateLimitExceeded) and
 * transient failures (5xx / backendError / a dropped connection) with
 * exponential backoff. The client's own retry is off: its waits cannot be
 * aborted nor shortened in tests, and it would retry under ours.
 */
export async function withRetry<T>(what: string, call: () => Promise<T>, policy: RetryPolicy, signal: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const failure = classifyBigQueryError(error);
      if (failure.kind !== 'retryable' || attempt >= policy.attempts || signal.aborted) throw bigQueryError(failure, what, attempt, error);
      await policy.sleep(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)), signal);
      if (signal.aborted) throw bigQueryError(failure, what, attempt, error);
    }
  }
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
