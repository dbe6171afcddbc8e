import type { DuckDBConnection } from '@duckdb/node-api';
import type { SinkMapping } from '../config/sink-schema.js';
import { ConnectorError } from '../errors/connector-error.js';
import { openStateDb, type StateDb } from '../store/state-db.js';
import { AccountQueue } from './account-queue.js';
import { minimumCalls } from './batching.js';
import { loadDesiredState, loadSegments, type ExcludedCounts } from './desired-state.js';
import { loadSuppressions, suppressionHash } from '../privacy/suppressions.js';
import type { ExecutionProgress, ExecutionResult } from './executor.js';
import type { SyncPlan } from './planner.js';
import { planSink, syncSink } from './sync-sink.js';
import { asConnectorError, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import type { Sink, SinkChange, SinkOperation } from './sink.js';
import { SyncStateStore } from './sync-state.js';

/**
 * One sync over every sink of a mapping: desired state from the run's
 * tables, acknowledged state from SQLite, plan, then (unless planning only)
 * prepare the vendor schema and execute. Sinks on different accounts run in
 * parallel; sinks sharing an account share its queue and its limit.
 */
export interface WiredSink {
  mapping: SinkMapping;
  sink: Sink;
}

export interface SyncOptions {
  duck: DuckDBConnection;
  state: StateDb;
  runId: string;
  sinks: readonly WiredSink[];
  /** Plan only: nothing is sent, nothing acknowledged. */
  dryRun: boolean;
  /** Sinks whose vendor starts empty (sandboxes): a plan for them is made against no acknowledged state. */
  freshSinks?: ReadonlySet<string>;
  now: () => number;
  signal: AbortSignal;
  policy?: RetryPolicy;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (sinkId: string, progress: ExecutionProgress) => void;
}

export interface SinkSyncSummary {
  sinkId: string;
  type: string;
  mode: string;
  profiles: number;
  excluded: ExcludedCounts;
  unchanged: number;
  parked: number;
  planned: Record<SinkOperation, number>;
  /** Up to three example changes per operation; keys and trait values masked. */
  examples: Array<{ op: SinkOperation; profileId: string; key: string; detail: string }>;
  minimumCalls: number;
  execution?: ExecutionResult;
  calls?: number;
  /** Set when the sink could not start (bad credentials, missing fields). */
  error?: string;
}

export async function runSync(options: SyncOptions): Promise<SinkSyncSummary[]> {
  const segments = await loadSegments(options.duck);
  const queues = new Map<string, AccountQueue>();
  const prepared = [];
  const suppressed = loadSuppressions(options.state);
  const isErased = suppressed.size === 0 ? undefined : (key: string, profileId: string) => suppressed.has(suppressionHash(key)) || suppressed.has(suppressionHash(`profile:${profileId}`));
  for (const wired of options.sinks) {
    const desired = await loadDesiredState(options.duck, wired.mapping, segments, suppressed);
    const fresh = options.dryRun && (options.freshSinks?.has(wired.mapping.id) ?? false);
    const store = new SyncStateStore(fresh ? openStateDb(':memory:') : options.state, wired.mapping.id, options.now);
    const plan = planSink({
      store, desired: desired.records, mode: wired.mapping.mode,
      ...(isErased ? { isErased } : {}),
      canDelete: wired.sink.capabilities().operations.delete !== undefined,
    });
    const capabilities = wired.sink.capabilities();
    const summary: SinkSyncSummary = {
      sinkId: wired.mapping.id,
      type: wired.mapping.type,
      mode: wired.mapping.mode,
      profiles: desired.records.length,
      excluded: desired.excluded,
      unchanged: plan.unchanged,
      parked: plan.parked,
      planned: plan.counts,
      examples: examples(plan, new Set(Object.entries(wired.mapping.properties).filter(([, source]) => 'trait' in source).map(([name]) => name))),
      minimumCalls: minimumCalls(plan.changes, capabilities),
    };
    if (!queues.has(wired.sink.account)) queues.set(wired.sink.account, new AccountQueue(capabilities));
    prepared.push({ wired, desired, store, plan, summary, queue: queues.get(wired.sink.account) as AccountQueue });
  }
  if (options.dryRun) return prepared.map((item) => item.summary);
  // Ctrl-C: stop waiting out throttles and backoffs, so the run ends at the next batch boundary.
  const interrupted = () => {
    for (const queue of queues.values()) queue.resume();
  };
  options.signal.addEventListener('abort', interrupted, { once: true });
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    options.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  }));

  await Promise.all(prepared.map(async ({ wired, desired, store, plan, summary, queue }) => {
    const callsBefore = queue.calls;
    try {
      const { result } = await syncSink({
        ...(isErased ? { isErased } : {}),
        sink: wired.sink,
        store,
        desired: desired.records,
        spec: desired.spec,
        mode: wired.mapping.mode,
        runId: options.runId,
        queue,
        policy: options.policy ?? DEFAULT_RETRY_POLICY,
        random: options.random ?? Math.random,
        sleep,
        now: options.now,
        signal: options.signal,
        onProgress: (progress) => options.onProgress?.(wired.mapping.id, progress),
      }, plan);
      summary.execution = result;
    } catch (error) {
      // One sink failing (even with a bug) must not hide what the others did.
      summary.error = error instanceof ConnectorError ? `${wired.mapping.id}: ${error.message}` : `${wired.mapping.id}: internal error: ${asConnectorError(error).message}`;
    } finally {
      summary.calls = queue.calls - callsBefore;
    }
  })).finally(async () => {
    options.signal.removeEventListener('abort', interrupted);
    await Promise.all([...queues.values()].map((queue) => queue.close()));
  });
  return prepared.map((item) => item.summary);
}

function examples(plan: SyncPlan, personal: ReadonlySet<string>): SinkSyncSummary['examples'] {
  const perOp = new Map<SinkOperation, number>();
  const result: SinkSyncSummary['examples'] = [];
  for (const change of plan.changes) {
    const count = perOp.get(change.op) ?? 0;
    if (count >= 3) continue;
    perOp.set(change.op, count + 1);
    result.push({ op: change.op, profileId: change.record.profileId, key: maskKey(change.record.key), detail: describe(change, personal) });
  }
  return result;
}

/** Segment names and feature values are shown; values copied from traits (names, phones …) are masked. */
function describe(change: SinkChange, personal: ReadonlySet<string>): string {
  if (change.op === 'list-add' || change.op === 'list-remove') return change.list;
  if (change.op === 'delete') return '';
  return Object.entries(change.properties).map(([name, value]) => `${name}=${value === null ? '∅' : personal.has(name) ? '***' : String(value)}`).join(', ');
}

/** Plans and summaries never print a raw email: `j***@example.com`. */
export function maskKey(key: string): string {
  const at = key.indexOf('@');
  if (at > 0) return `${key[0] ?? ''}***${key.slice(at)}`;
  return key.length <= 4 ? key : `${key.slice(0, 4)}…`;
}
