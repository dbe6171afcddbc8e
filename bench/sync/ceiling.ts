import type { SinkCapabilities } from '../../core/sync/sink.js';

/**
 * The fastest a sink may go under the vendor's published limits.
 * - A rolling window of R calls per I seconds with batches of B records:
 *   steady state R·B/I records/s. A finite run of n calls may burst R calls
 *   at once, so its shortest possible duration is (⌈n/R⌉ − 1)·I seconds;
 *   both figures are printed.
 * - No request-rate limit (Salesforce): concurrency C calls in flight, each
 *   taking the simulator's service time L (fixed + per record): C·B/L records/s.
 */
export interface Ceiling {
  recordsPerSecond: number;
  finiteRunSeconds: number;
  explanation: string;
}

export function ceilingFor(capabilities: SinkCapabilities, records: number, service: { latencyMs: number; perRecordMs: number }): Ceiling {
  const batch = capabilities.operations.upsert?.maxBatch ?? 1;
  const calls = Math.ceil(records / batch);
  const limit = capabilities.rateLimit;
  if (limit) {
    const perSecond = (limit.requests * batch) / (limit.intervalMs / 1000);
    const finite = (Math.ceil(calls / limit.requests) - 1) * (limit.intervalMs / 1000);
    return {
      recordsPerSecond: perSecond,
      finiteRunSeconds: finite,
      explanation: `${limit.requests} calls / ${limit.intervalMs / 1000} s × ${batch} records = ${perSecond.toFixed(0)} records/s; ${calls} calls need ≥ ${finite.toFixed(0)} s`,
    };
  }
  const latencyMs = service.latencyMs + service.perRecordMs * batch;
  const perSecond = (capabilities.concurrency * batch) / (latencyMs / 1000);
  const finite = (Math.ceil(calls / capabilities.concurrency) * latencyMs) / 1000;
  return {
    recordsPerSecond: perSecond,
    finiteRunSeconds: finite,
    explanation: `${capabilities.concurrency} concurrent × ${batch} records / ${latencyMs} ms latency = ${perSecond.toFixed(0)} records/s`,
  };
}
