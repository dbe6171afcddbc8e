import { createHash } from 'node:crypto';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { ChangeResult, Sink, SinkBatch, SinkCapabilities, SinkChange, SinkContext } from '../../../core/sync/sink.js';
import { estimatedEventBytes, groupBySize, identifyFor, MAX_EVENT_BYTES, type IdentifyMessage } from './identify-messages.js';
import { createSdkDelivery, type DeliveryOutcome } from './sdk-delivery.js';
import { resolveSegmentConfig } from './segment-sink-config.js';

/**
 * Segment sink: segflow's properties and segment memberships written back
 * to a Segment source as identify traits, with the real
 * `@segment/analytics-node` client. Pacing and retries belong to the
 * executor: every SDK request goes through `context.request` and the SDK's
 * own retries are off.
 *
 * The Tracking API cannot tell whether a user exists: every identify
 * creates or merges. So an upsert acknowledges with `vendorId` = userId,
 * segflow's proof that the profile exists, and `update` (the engine's
 * "change, never create": enrich mode, and clearing the values of a profile
 * that left the sink's scope) is sent only for a record that carries that
 * proof; without it the change is `skipped` as not found. `delete` is not
 * offered: deleting a user is a workspace regulation (Public API), not a
 * tracking call.
 */
export interface SegmentSinkOptions {
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Per request, from when the account queue lets it go. @default 10000 */
  httpRequestTimeoutMs?: number;
  /**
   * Without a run id in the context (a direct call), the messageId scope is
   * this time window instead; see `messageIdFor`. @default 600000 (10 minutes)
   */
  replayWindowMs?: number;
}

/** Identify calls per request: the `flushAt` given to the SDK. */
const MAX_BATCH = 100;
const CONNECTOR = 'sink:segment';
const UNKNOWN_PROFILE = 'not found: segflow never wrote this user to Segment, and the Tracking API cannot tell whether it exists (an identify would create it)';

export function createSegmentSink(rawConfig: unknown, options: SegmentSinkOptions = {}): Sink {
  const config = resolveSegmentConfig(rawConfig);
  const replayWindowMs = options.replayWindowMs ?? 600_000;
  const delivery = createSdkDelivery({
    writeKey: config.writeKey,
    host: config.host,
    flushAt: MAX_BATCH,
    httpRequestTimeoutMs: options.httpRequestTimeoutMs ?? 10_000,
    fetch: options.fetch,
  });
  let listNames: ReadonlyMap<string, string> = new Map();
  // The write key names the source; its fingerprint keeps the secret out of logs and state keys.
  const sourceFingerprint = createHash('sha256').update(config.writeKey).digest('hex').slice(0, 12);

  const capabilities: SinkCapabilities = {
    operations: {
      upsert: { maxBatch: MAX_BATCH },
      update: { maxBatch: MAX_BATCH },
      'list-add': { maxBatch: MAX_BATCH },
      'list-remove': { maxBatch: MAX_BATCH },
    },
    rateLimit: { requests: config.limits.requests, intervalMs: config.limits.intervalMs },
    concurrency: config.limits.concurrency,
    membershipNeedsVendorId: false,
    triggerKinds: [],
  };

  async function apply(batch: SinkBatch, context: SinkContext): Promise<ChangeResult[]> {
    const results: Array<ChangeResult | undefined> = batch.changes.map(() => undefined);
    // One message per distinct messageId; a change repeated in the batch shares its outcome.
    const pending = new Map<string, { message: IdentifyMessage; bytes: number; indexes: number[] }>();
    const scope = context.runId ?? `window-${Math.floor(context.now() / replayWindowMs)}`;
    batch.changes.forEach((change, index) => {
      if (change.op === 'update' && change.record.vendorId === undefined) {
        results[index] = { status: 'skipped', reason: UNKNOWN_PROFILE };
        return;
      }
      const message = identifyFor(change, { listNames, scope });
      if (!message) {
        results[index] = { status: 'failed', error: unsupported(change) };
        return;
      }
      const bytes = estimatedEventBytes(message);
      if (bytes > MAX_EVENT_BYTES) {
        results[index] = { status: 'failed', error: tooLarge(change, message, bytes) };
        return;
      }
      const known = pending.get(message.messageId);
      if (known) known.indexes.push(index);
      else pending.set(message.messageId, { message, bytes, indexes: [index] });
    });

    let wholeCallFailure: ConnectorError | undefined;
    for (const group of groupBySize([...pending.values()], (item) => item.bytes)) {
      // After a request failed as a whole (bad key, throttled, down), the next one would fail the same way: don't send it.
      const outcomes: DeliveryOutcome[] = wholeCallFailure
        ? group.map(() => ({ delivered: false, error: wholeCallFailure as ConnectorError }))
        : await delivery.deliver(
            group.map((item) => item.message),
            context,
          );
      wholeCallFailure ??= sharedFailure(outcomes);
      group.forEach((item, position) => {
        const outcome = outcomes[position] as DeliveryOutcome;
        for (const index of item.indexes) results[index] = outcome.delivered ? applied(batch.changes[index] as SinkChange) : { status: 'failed', error: outcome.error };
      });
    }
    // Throttling, outage or bad credentials for every call sent: the batch failed as a whole (the executor pauses the account on throttles).
    if (wholeCallFailure && pending.size > 0) {
      const sent = [...pending.values()].flatMap((item) => item.indexes);
      if (sent.every((index) => results[index]?.status === 'failed' && results[index].error.kind !== 'permanent')) throw wholeCallFailure;
    }
    return results.map((result) => result as ChangeResult);
  }

  return {
    kind: 'sink:segment',
    account: `${config.host}#source-${sourceFingerprint}`,
    // The Tracking API reveals nothing about the workspace; the write key is the source, so its fingerprint is the identity.
    identify: () => Promise.resolve(`segment:${new URL(config.host).host}:source-${sourceFingerprint}`),
    capabilities: () => capabilities,
    // The Tracking API has no schema to create: traits appear on first write. Only the audience names are kept.
    prepare(spec) {
      listNames = new Map(spec.lists.map((list) => [list.key, list.name]));
      return Promise.resolve();
    },
    apply: (batch, context) => (batch.changes.length === 0 ? Promise.resolve([]) : apply(batch, context)),
    close: () => delivery.close(),
  };
}

/** Segment keys profiles by userId: it is the record id later changes can rely on. */
function applied(change: SinkChange): ChangeResult {
  return change.op === 'upsert' || change.op === 'update' ? { status: 'applied', vendorId: change.record.key } : { status: 'applied' };
}

/** The error every outcome of a request shares when the request failed as a whole and can be retried or needs a config fix. */
function sharedFailure(outcomes: readonly DeliveryOutcome[]): ConnectorError | undefined {
  const first = outcomes[0];
  if (!first || first.delivered || first.error.kind === 'permanent') return undefined;
  return outcomes.every((outcome) => !outcome.delivered && outcome.error === first.error) ? first.error : undefined;
}

function unsupported(change: SinkChange): ConnectorError {
  return new ConnectorError(
    'permanent',
    'segment.operation_unsupported',
    `Segment sink cannot ${change.op} profile ${change.record.profileId}: deleting a user is a workspace regulation (Segment Public API), not a tracking call.`,
    { connector: CONNECTOR },
  );
}

function tooLarge(change: SinkChange, message: IdentifyMessage, bytes: number): ConnectorError {
  const largest = Object.entries(message.traits)
    .map(([name, value]) => ({ name, size: Buffer.byteLength(JSON.stringify(value), 'utf8') }))
    .sort((a, b) => b.size - a.size)
    .slice(0, 3)
    .map((trait) => `${trait.name} (${formatBytes(trait.size)})`);
  return new ConnectorError(
    'permanent',
    'segment.event_too_large',
    `The identify call for profile ${change.record.profileId} (${change.op}) would be about ${formatBytes(bytes)}; Segment accepts at most 32 KB per event, so it was not sent. Largest traits: ${largest.join(', ')}.`,
    { connector: CONNECTOR },
  );
}

function formatBytes(bytes: number): string {
  return bytes < 1_024 ? `${bytes} B` : `${(bytes / 1_024).toFixed(1)} KB`;
}
