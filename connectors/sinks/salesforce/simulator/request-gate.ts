import { countRoute, type FaultPlan, type SimRequest, type SimResponse, type SimulatorStats } from '../../../../core/sync/simulation/index.js';
import type { AccessTokens } from './access-tokens.js';

export interface GateLimits {
  /** API calls allowed per rolling `intervalMs` for the org (the daily allocation). */
  requests: number;
  intervalMs: number;
  /** Requests the org serves at once; the next one is refused. */
  concurrency: number;
  /** Fixed service time per call, ms. */
  latencyMs: number;
  /** Extra service time per record in the call, ms. */
  perRecordLatencyMs: number;
}

/** Salesforce's error bodies are arrays of `{message, errorCode}`. */
export function salesforceError(status: number, errorCode: string, message: string): SimResponse {
  return { status, body: [{ message, errorCode }] };
}

const CONCURRENCY_THROTTLE = (): SimResponse => salesforceError(403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.');

/**
 * What every REST call meets before its handler runs, in Salesforce's order:
 * session check (401), throttles (403 REQUEST_LIMIT_EXCEEDED: concurrency,
 * then the rolling daily allocation), then service time and injected 5xx.
 * Every answer carries `Sforce-Limit-Info: api-usage=used/limit`.
 */
export class RequestGate {
  private inFlight = 0;
  private readonly allocation: RollingCounter;

  constructor(
    private readonly limits: GateLimits,
    private readonly faults: FaultPlan,
    private readonly stats: () => SimulatorStats,
    private readonly tokens: AccessTokens,
    private readonly now: () => number,
  ) {
    this.allocation = new RollingCounter(limits.intervalMs);
  }

  /** Calls counted against the allocation right now, and the allocation. */
  allocationUsage(): { used: number; max: number } {
    return { used: this.allocation.count(this.now()), max: this.limits.requests };
  }

  async pass(request: SimRequest, route: string, recordCount: number, handle: () => SimResponse | Promise<SimResponse>): Promise<SimResponse> {
    const response = await this.decide(request, route, recordCount, handle);
    const used = this.allocation.count(this.now());
    return { ...response, headers: { ...response.headers, 'Sforce-Limit-Info': `api-usage=${used}/${this.limits.requests}` } };
  }

  private async decide(request: SimRequest, route: string, recordCount: number, handle: () => SimResponse | Promise<SimResponse>): Promise<SimResponse> {
    const stats = this.stats();
    countRoute(stats, route);
    if (!this.tokens.authorizes(request)) return salesforceError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    if (this.faults.shouldThrottle()) {
      stats.injectedThrottles += 1;
      return CONCURRENCY_THROTTLE();
    }
    if (this.inFlight >= this.limits.concurrency) {
      stats.rateLimited += 1;
      return CONCURRENCY_THROTTLE();
    }
    const now = this.now();
    if (this.allocation.count(now) >= this.limits.requests) {
      stats.rateLimited += 1;
      return salesforceError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    this.allocation.add(now);
    this.inFlight += 1;
    try {
      const serviceMs = this.limits.latencyMs + this.limits.perRecordLatencyMs * recordCount;
      if (serviceMs > 0) await new Promise((resolve) => setTimeout(resolve, serviceMs));
      await this.faults.delay();
      if (this.faults.shouldFailServer()) {
        stats.serverErrors += 1;
        return salesforceError(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable. Please try again later.');
      }
      return await handle();
    } finally {
      this.inFlight -= 1;
    }
  }
}

/** Arrivals in a rolling window; pruned from the front, so each call costs O(1) amortized. */
class RollingCounter {
  private arrivals: number[] = [];
  private head = 0;

  constructor(private readonly intervalMs: number) {}

  add(now: number): void {
    this.arrivals.push(now);
  }

  count(now: number): number {
    while (this.head < this.arrivals.length && now - (this.arrivals[this.head] ?? 0) >= this.intervalMs) this.head += 1;
    if (this.head > 4096 && this.head * 2 > this.arrivals.length) {
      this.arrivals = this.arrivals.slice(this.head);
      this.head = 0;
    }
    return this.arrivals.length - this.head;
  }
}
