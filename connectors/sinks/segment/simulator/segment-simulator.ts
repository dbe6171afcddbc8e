import { createRng } from '../../../../core/random/rng.js';
import { FaultPlan, emptyStats, startJsonServer, type SimulatorStats } from '../../../../core/sync/simulation/index.js';
import type { RunningSimulator, SimulatorLimits, VendorRecord, VendorView } from '../../../../core/sync/simulation/index.js';
import { SANDBOX_WRITE_KEY, segmentSandboxConfig } from '../segment-sink-config.js';
import { createProfileStore, type DroppedEvent } from './profile-store.js';
import { createTrackingApi } from './tracking-api.js';

/**
 * A Segment source over real HTTP (vendor-facts.md §6.3): `POST /v1/batch`
 * and `/v1/identify`, write-key auth, Segment's size limits and rolling
 * rate limit, seeded faults, and the profile traits a sink writes. Tests,
 * benchmarks and `segflow sandbox` point `@segment/analytics-node` at it.
 */
export interface SegmentSimulatorLimits extends SimulatorLimits {
  /** Bytes per event (and per single `/v1/identify` call). @default 32768 */
  maxEventBytes?: number;
  /** Bytes per `/v1/batch` request. @default 512000 (500 KB) */
  maxRequestBytes?: number;
  /** Events per batch request; the rest are answered 200 and dropped. @default 2500 */
  maxBatchEvents?: number;
}

export interface SegmentSimulatorOptions {
  seed: number;
  /** 0 (default) lets the OS pick. */
  port?: number;
  /** Defaults: Segment's 1,000 requests/s per workspace, 32 KB per event, 500 KB per batch. */
  limits?: SegmentSimulatorLimits;
  /** @default Date.now */
  now?: () => number;
  /** @default 'segflow-sandbox-write-key' */
  writeKey?: string;
}

export interface SegmentView extends VendorView {
  /** Merged traits per userId. */
  users(): Map<string, Record<string, unknown>>;
  /** How many times each messageId arrived, duplicates included (Segment stores the first only). */
  messageCounts(): Map<string, number>;
  /** Events answered 200 but not stored, with Segment's reason. */
  droppedEvents(): DroppedEvent[];
  /** Identify calls stored, other events stored, repeats ignored as duplicates. */
  eventCounts(): { identifies: number; otherEvents: number; deduplicated: number };
}

export interface RunningSegmentSimulator extends RunningSimulator {
  view: SegmentView;
  writeKey: string;
}

export async function startSegmentSimulator(options: SegmentSimulatorOptions): Promise<RunningSegmentSimulator> {
  const now = options.now ?? Date.now;
  const writeKey = options.writeKey ?? SANDBOX_WRITE_KEY;
  const limits = {
    requests: options.limits?.requests ?? 1_000,
    intervalMs: options.limits?.intervalMs ?? 1_000,
    latencyMs: options.limits?.latencyMs ?? 0,
    maxEventBytes: options.limits?.maxEventBytes ?? 32 * 1_024,
    maxRequestBytes: options.limits?.maxRequestBytes ?? 500 * 1_024,
    maxBatchEvents: options.limits?.maxBatchEvents ?? 2_500,
  };
  const faults = new FaultPlan(options.seed, now);
  const store = createProfileStore(now);
  let stats: SimulatorStats = emptyStats();
  const handle = createTrackingApi({ writeKey, limits, faults, store, stats: () => stats, rng: createRng(options.seed), now });

  const view: SegmentView = {
    records() {
      const records = new Map<string, VendorRecord>();
      // Segment keys a profile by userId, so the userId is the record id too.
      for (const [userId, traits] of store.users()) records.set(userId, { vendorId: userId, properties: traits });
      return records;
    },
    // One profile per userId by construction: identify merges, it never creates a second record.
    duplicateKeys: () => [],
    listMembers(listName) {
      const key = store.audienceKey(listName) ?? listName;
      const members = new Set<string>();
      for (const [userId, traits] of store.users()) if (traits[key] === true) members.add(userId);
      return members;
    },
    stats: () => structuredClone(stats),
    resetStats: () => {
      stats = emptyStats();
    },
    setFaults: (next) => faults.set(next),
    // Write keys do not expire: nothing to invalidate.
    expireTokens: () => undefined,
    users: () => store.users(),
    messageCounts: () => store.messageCounts(),
    droppedEvents: () => store.dropped(),
    eventCounts: () => store.counts(),
  };

  const server = await startJsonServer(handle, { port: options.port });
  return {
    url: server.url,
    view,
    writeKey,
    sinkConfig: {
      type: 'segment',
      ...segmentSandboxConfig(server.url),
      write_key: writeKey,
      limits: {
        requests: limits.requests,
        interval_ms: limits.intervalMs,
        ...(options.limits?.concurrency !== undefined ? { concurrency: options.limits.concurrency } : {}),
      },
    },
    stop: () => server.close(),
  };
}
