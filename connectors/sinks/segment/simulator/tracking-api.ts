import type { Rng } from '../../../../core/random/rng.js';
import { RollingWindow, countRoute, type FaultPlan, type SimRequest, type SimResponse, type SimulatorStats } from '../../../../core/sync/simulation/index.js';
import { isRecord, type ProfileStore } from './profile-store.js';

/**
 * Segment's HTTP Tracking API as a sink sees it (vendor-facts.md §6.3 and
 * the HTTP API source page), checked in this order: route, Content-Type
 * (application/json required), payload size (32 KB per event and per
 * single call, 500 KB per batch: 400 "Exceed payload limit"), JSON, the
 * write key (body `writeKey` or `Authorization: Basic base64(key:)`; wrong
 * → 401), injected faults, the workspace's rolling request rate (429 with
 * `Retry-After` and `X-RateLimit-Reset`, both in seconds). Everything that
 * passes is answered 200, including events Segment then drops.
 */
export interface TrackingLimits {
  requests: number;
  intervalMs: number;
  latencyMs: number;
  maxEventBytes: number;
  maxRequestBytes: number;
  maxBatchEvents: number;
}

export interface TrackingApiOptions {
  writeKey: string;
  limits: TrackingLimits;
  faults: FaultPlan;
  store: ProfileStore;
  stats: () => SimulatorStats;
  rng: Rng;
  now: () => number;
}

const ROUTES: Readonly<Record<string, string>> = { '/v1/batch': 'batch', '/v1/identify': 'identify' };
const SERVER_ERRORS = [500, 502, 503] as const;

const answer = (status: number, message: string, headers?: Record<string, string>): SimResponse => ({
  status,
  ...(headers ? { headers } : {}),
  body: status === 200 ? { success: true } : { success: false, message },
});

export function createTrackingApi(options: TrackingApiOptions): (request: SimRequest) => Promise<SimResponse> {
  const { limits, faults, store, rng, now } = options;
  const window = new RollingWindow(limits.requests, limits.intervalMs);

  async function latency(): Promise<void> {
    await faults.delay();
    if (limits.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, limits.latencyMs));
  }

  function authorized(request: SimRequest, body: Record<string, unknown>): boolean {
    if (body.writeKey === options.writeKey) return true;
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!basic?.[1]) return false;
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    // The docs ask for "key:"; the key alone still works "for backward compatibility".
    return decoded === `${options.writeKey}:` || decoded === options.writeKey;
  }

  /** The first reason to refuse the call, or undefined to take it. */
  function refusal(request: SimRequest, route: string): SimResponse | undefined {
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) return answer(400, 'Content-Type must be application/json');
    const sizeCap = route === 'batch' ? limits.maxRequestBytes : limits.maxEventBytes;
    if (Buffer.byteLength(request.rawBody, 'utf8') > sizeCap) return answer(400, 'Exceed payload limit');
    if (!isRecord(request.body)) return answer(400, 'Invalid JSON');
    if (!authorized(request, request.body)) return answer(401, 'Invalid write key');
    const stats = options.stats();
    if (faults.shouldThrottle()) {
      stats.injectedThrottles += 1;
      const seconds = String(Math.max(1, Math.ceil(((faults.current.throttleUntil ?? now()) - now()) / 1_000)));
      return answer(429, 'Too Many Requests', { 'Retry-After': seconds, 'X-RateLimit-Reset': seconds });
    }
    if (faults.shouldFailServer()) {
      stats.serverErrors += 1;
      return answer(rng.pick(SERVER_ERRORS), 'Internal Server Error');
    }
    if (!window.tryAcquire(now())) {
      stats.rateLimited += 1;
      // The window is rolling: after one full interval there is certainly room again.
      const seconds = String(Math.max(1, Math.ceil(limits.intervalMs / 1_000)));
      return answer(429, 'Too Many Requests', { 'Retry-After': seconds, 'X-RateLimit-Reset': seconds });
    }
    return undefined;
  }

  function events(route: string, body: Record<string, unknown>): Array<Record<string, unknown>> | SimResponse {
    if (route === 'identify') return [{ ...body, type: 'identify' }];
    if (!Array.isArray(body.batch)) return answer(400, 'Invalid JSON: batch must be an array');
    const items: unknown[] = body.batch;
    const outerContext = isRecord(body.context) ? body.context : {};
    const outerIntegrations = isRecord(body.integrations) ? body.integrations : {};
    const merged = items.map((item) => {
      const event = isRecord(item) ? item : {};
      return {
        ...event,
        context: { ...outerContext, ...(isRecord(event.context) ? event.context : {}) },
        integrations: { ...outerIntegrations, ...(isRecord(event.integrations) ? event.integrations : {}) },
      };
    });
    if (items.some((item) => Buffer.byteLength(JSON.stringify(item) ?? '', 'utf8') > limits.maxEventBytes)) return answer(400, 'Exceed payload limit');
    return merged;
  }

  return async (request) => {
    const route = request.method === 'POST' ? ROUTES[request.path] : undefined;
    if (route === undefined) return answer(404, 'Not Found');
    const stats = options.stats();
    countRoute(stats, route);
    const refused = refusal(request, route);
    const accepted = refused ?? events(route, request.body as Record<string, unknown>);
    await latency();
    if (!Array.isArray(accepted)) return accepted;
    accepted.forEach((event, index) => {
      // Past the per-batch event cap Segment answers 200 and drops the rest.
      if (index >= limits.maxBatchEvents) store.drop(event, 'batch_over_event_limit');
      else if (store.receive(event, (userId) => faults.rejects(userId)) !== 'dropped') return;
      stats.rejectedRecords += 1;
    });
    return answer(200, 'OK');
  };
}
