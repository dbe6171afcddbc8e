import type { Rng } from '../../../../core/random/rng.js';
import { RollingWindow, countRoute, type FaultPlan, type SimRequest, type SimResponse, type SimulatorStats } from '../../../../core/sync/simulation/index.js';
import { centralDay } from '../central-time.js';
import { failure, type RequestIds } from './envelope.js';
import type { TokenIssuer } from './token-issuer.js';

/**
 * Everything Marketo checks before it runs a REST call, in its order:
 * the bearer token (601/602 are free: not counted anywhere), the 10
 * concurrent calls (615), injected faults, the rolling 100 calls / 20 s
 * (606) and the daily quota (607, reset at midnight US Central). A call
 * counts as in flight from admission until its answer is sent, latency
 * included, which is what makes 615 reachable.
 */
export interface GateLimits {
  requests: number;
  intervalMs: number;
  concurrency: number;
  latencyMs: number;
  dailyQuota: number;
}

export interface CallGateOptions {
  limits: GateLimits;
  tokens: TokenIssuer;
  faults: FaultPlan;
  stats: () => SimulatorStats;
  requestIds: RequestIds;
  rng: Rng;
  now: () => number;
}

export type AdmittedCall = (requestId: string, latency: () => Promise<void>) => Promise<SimResponse>;

export interface CallGate {
  admit(request: SimRequest, route: string, call: AdmittedCall): Promise<SimResponse>;
  inFlight(): number;
  quotaUsed(): number;
}

const SERVER_FAULTS = [
  { code: '611', message: 'System error' },
  { code: '608', message: 'API Temporarily Unavailable' },
  { code: '713', message: 'Transient Error' },
];

export function createCallGate(options: CallGateOptions): CallGate {
  const { limits, tokens, faults, requestIds, rng, now } = options;
  const window = new RollingWindow(limits.requests, limits.intervalMs);
  const quota = { day: '', used: 0 };
  let inFlight = 0;

  async function latency(): Promise<void> {
    await faults.delay();
    if (limits.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, limits.latencyMs));
  }

  function authError(request: SimRequest): { code: string; message: string } | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    // The access_token query parameter was withdrawn on 31 July 2026: a token there is no token at all.
    if (!match?.[1]) return { code: '601', message: 'Access token invalid' };
    const state = tokens.check(match[1]);
    if (state === 'invalid') return { code: '601', message: 'Access token invalid' };
    if (state === 'expired') return { code: '602', message: 'Access token expired' };
    return undefined;
  }

  function takeQuota(at: number): boolean {
    const day = centralDay(at);
    if (day !== quota.day) {
      quota.day = day;
      quota.used = 0;
    }
    if (quota.used >= limits.dailyQuota) return false;
    quota.used += 1;
    return true;
  }

  return {
    async admit(request, route, call) {
      const stats = options.stats();
      countRoute(stats, route);
      const requestId = requestIds();
      const denied = authError(request);
      if (denied) return failure(requestId, denied.code, denied.message);
      if (inFlight >= limits.concurrency) {
        stats.rateLimited += 1;
        return failure(requestId, '615', 'Concurrent access limit reached');
      }
      inFlight += 1;
      try {
        if (faults.shouldThrottle()) {
          stats.injectedThrottles += 1;
          await latency();
          return failure(requestId, '606', `Max rate limit '${limits.requests}' exceeded with in '${limits.intervalMs / 1_000}' secs`);
        }
        if (faults.shouldFailServer()) {
          stats.serverErrors += 1;
          await latency();
          const pick = rng.int(SERVER_FAULTS.length + 1);
          const fault = SERVER_FAULTS[pick];
          return fault ? failure(requestId, fault.code, fault.message) : { status: 503, body: 'Service Unavailable' };
        }
        const at = now();
        if (!window.tryAcquire(at)) {
          stats.rateLimited += 1;
          await latency();
          return failure(requestId, '606', `Max rate limit '${limits.requests}' exceeded with in '${limits.intervalMs / 1_000}' secs`);
        }
        if (!takeQuota(at)) {
          stats.rateLimited += 1;
          await latency();
          return failure(requestId, '607', 'Daily quota reached');
        }
        return await call(requestId, latency);
      } finally {
        inFlight -= 1;
      }
    },
    inFlight: () => inFlight,
    quotaUsed: () => quota.used,
  };
}
