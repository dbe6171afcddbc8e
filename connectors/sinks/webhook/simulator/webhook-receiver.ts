import { FaultPlan, type SimulatorFaults } from '../../../../core/sync/simulation/fault-plan.js';
import { startJsonServer, type SimRequest, type SimResponse } from '../../../../core/sync/simulation/json-server.js';
import { batchKey } from '../webhook-body.js';
import { SANDBOX_WEBHOOK_SECRET, webhookSandboxConfig } from '../webhook-sink-config.js';
import { DEFAULT_TOLERANCE_SECONDS, verifySignature } from '../webhook-signature.js';
import { createDeliveryLog, type Delivery } from './delivery-log.js';
import { parseDeliveryBody } from './parse-delivery.js';

/**
 * A webhook endpoint done right, over real HTTP on 127.0.0.1: it verifies
 * the signature and its timestamp (401 when missing, wrong or older than
 * the tolerance), deduplicates by idempotency key (a repeat is answered 200
 * and counted, not delivered again), and records deliveries for tests and
 * `segflow sandbox`. Faults (seeded): `serverErrorRate` (503),
 * `throttleUntil` (429 with Retry-After), `latencyMs` (answers late, e.g.
 * past the sink's timeout; the POST is still applied), `lostResponses`
 * (applies, then destroys the socket unanswered) and `rejectKeys` (profile
 * ids refused with 422, the body echoing the payload the way real endpoints
 * echo what they got). `POST /moved` answers 308 to test redirects.
 */
export interface WebhookReceiverOptions {
  seed: number;
  /** 0 (default) lets the OS pick. */
  port?: number;
  /** @default 'segflow-sandbox-webhook-secret' */
  secret?: string;
  /** The receiver's clock, for the timestamp check and Retry-After. @default Date.now */
  now?: () => number;
  /** @default 300 */
  toleranceSeconds?: number;
}

export interface Refusal {
  status: number;
  reason: string;
}

export interface WebhookReceiverView {
  /** Each action once, in arrival order. */
  deliveries(): Delivery[];
  /** Repeats per action id: a retry the receiver answered 200 without delivering again. */
  repeats(): Map<string, number>;
  totalRepeats(): number;
  /** Requests that reached the handler, refused ones included. */
  requests(): number;
  refusals(): Refusal[];
  setFaults(faults: SimulatorFaults): void;
}

export interface RunningWebhookReceiver {
  /** The endpoint to POST to (`<base>/hooks`). */
  url: string;
  secret: string;
  view: WebhookReceiverView;
  /** The sink section fields that point the sink at this receiver. */
  sinkConfig: { type: 'webhook'; url: string; secret: string };
  stop(): Promise<void>;
}

export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<RunningWebhookReceiver> {
  const now = options.now ?? Date.now;
  const secret = options.secret ?? SANDBOX_WEBHOOK_SECRET;
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const faults = new FaultPlan(options.seed, now);
  const log = createDeliveryLog();
  const refusals: Refusal[] = [];
  let requests = 0;

  const refuse = (status: number, reason: string, body: unknown = { error: reason }): SimResponse => {
    refusals.push({ status, reason });
    return { status, body };
  };

  /** Decides the answer; `lose` is set when the POST was applied and its answer must be lost. */
  async function handle(request: SimRequest): Promise<SimResponse> {
    requests += 1;
    const { path, rawBody } = request;
    if (request.method !== 'POST') return refuse(405, `${request.method} is not allowed; POST only`);
    if (path === '/moved') return { status: 308, headers: { location: '/hooks?token=moved-here' } };
    await faults.delay();
    const check = verifySignature(secret, { timestampHeader: header(request, 'x-segflow-timestamp'), signatureHeader: header(request, 'x-segflow-signature'), rawBody }, now(), tolerance);
    if (!check.valid) return refuse(401, check.reason);
    if (faults.shouldThrottle()) {
      const seconds = Math.max(1, Math.ceil(((faults.current.throttleUntil ?? 0) - now()) / 1_000));
      refusals.push({ status: 429, reason: 'throttled' });
      return { status: 429, headers: { 'retry-after': String(seconds) }, body: { error: 'too many requests' } };
    }
    if (faults.shouldFailServer()) return refuse(503, 'server error (fault)');
    if (!/application\/json/i.test(header(request, 'content-type') ?? '')) return refuse(415, 'Content-Type must be application/json');
    const key = header(request, 'idempotency-key');
    if (key === undefined) return refuse(400, 'missing Idempotency-Key');
    const parsed = parseDeliveryBody(rawBody, key, path);
    if (!parsed.ok) return refuse(400, parsed.reason);
    const expectedKey = parsed.batch ? batchKey(parsed.items.map((item) => item.id)) : parsed.items[0]?.id;
    if (key !== expectedKey) return refuse(400, `Idempotency-Key ${key} does not match the body (expected ${expectedKey ?? '?'})`);
    const rejected = parsed.items.find((item) => faults.rejects(item.profileId));
    if (rejected) {
      return refuse(422, `profile ${rejected.profileId} rejected`, { error: `contact ${rejected.profileId} cannot receive ${rejected.type}`, received: rejected.properties });
    }
    const { accepted, repeats } = log.record(parsed.items);
    return { status: 200, body: { received: accepted, duplicates: repeats }, ...(faults.takeLostResponse() ? { lose: true } : {}) };
  }

  const server = await startJsonServer(handle, options.port === undefined ? {} : { port: options.port });
  const url = `${server.url}/hooks`;
  return {
    url,
    secret,
    view: {
      deliveries: () => log.deliveries(),
      repeats: () => log.repeats(),
      totalRepeats: () => log.totalRepeats(),
      requests: () => requests,
      refusals: () => refusals.map((refusal) => ({ ...refusal })),
      setFaults: (next) => faults.set(next),
    },
    sinkConfig: { type: 'webhook', ...webhookSandboxConfig(url, secret) },
    stop: () => server.close(),
  };
}

function header(request: SimRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
