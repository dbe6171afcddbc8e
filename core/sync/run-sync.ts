import { maskPii } from '../privacy/mask-pii.js';
import type { ConsentPolicy } from '../privacy/consent-decision.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ExperimentConfig } from '../config/analysis-schema.js';
import type { SinkMapping } from '../config/sink-schema.js';
import { ConnectorError } from '../errors/connector-error.js';
import { openEphemeralStateStore } from '../store/state/open-state-store.js';
import type { SinkAccountState } from '../store/state/sink-account-state.js';
import type { StateStore } from '../store/state/state-store.js';
import { AccountQueue } from './delivery/account-queue.js';
import { minimumCalls } from './batching.js';
import { loadDesiredState, loadSegments, type ExcludedCounts } from './desired-state.js';
import { loadSuppressions, type SuppressionCheck } from '../privacy/suppressions.js';
import type { ExecutionProgress, ExecutionResult } from './record-sync.js';
import type { SyncPlan } from './planner.js';
import { planSink, syncSink, withRetries } from './sync-sink.js';
import { asConnectorError, DEFAULT_RETRY_POLICY, type RetryPolicy } from './delivery/retry-policy.js';
import type { Sink, SinkChange, SinkContext, SinkOperation } from './sink.js';
import { abortableSleep } from './delivery/abortable-sleep.js';

/**
 * One sync over every sink of a mapping: desired state from the run's
 * tables, acknowledged state of the vendor account each sink writes to,
 * plan, then (unless planning only) prepare the vendor schema and execute.
 * Sinks on different accounts run in parallel; sinks sharing an account
 * share its queue and its limit.
 */
export interface WiredSink {
  mapping: SinkMapping;
  sink: Sink;
  /**
   * Set when the sink writes to a simulator started for this run (it starts
   * empty): its state lives under `sandbox:<type>:<sink id>`, emptied before
   * a sync, and a plan for it is made against no acknowledged state.
   */
  sandbox?: boolean;
}

export interface SyncOptions {
  duck: DuckDBConnection;
  state: StateStore;
  runId: string;
  sinks: readonly WiredSink[];
  /** Plan only: nothing is sent, nothing acknowledged. */
  dryRun: boolean;
  now: () => number;
  signal: AbortSignal;
  policy?: RetryPolicy;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (sinkId: string, progress: ExecutionProgress) => void;
  /** `privacy.consent.required`: a profile without consent data counts as all denied. */
  consentPolicy?: ConsentPolicy;
  /** The mapping's A/B holdouts, for `{ holdout: <id> }` properties. */
  experiments?: readonly ExperimentConfig[];
  /** Erased people. @default the state store's suppression list */
  suppressions?: SuppressionCheck;
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
  /** The vendor account the sink writes to (its state is kept under this). */
  account?: string;
  /** No sync ever ran against this account from this state: everything desired is created. */
  newAccount?: boolean;
  /** Notes for the user (state adopted from an older segflow …). */
  notes?: string[];
  /** Set when the sink could not start (bad credentials, missing fields). */
  error?: string;
}

export async function runSync(options: SyncOptions): Promise<SinkSyncSummary[]> {
  const segments = await loadSegments(options.duck);
  const queues = new Map<string, AccountQueue>();
  const suppressed = options.suppressions ?? await loadSuppressions(options.state);
  const isErased = suppressed.size === 0 ? undefined : (key: string, profileId: string) => suppressed.has(key) || suppressed.has(`profile:${profileId}`);
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep(options.signal);
  const ephemeral = options.dryRun && options.sinks.some((wired) => wired.sandbox) ? openEphemeralStateStore(options.now) : undefined;
  const prepared: Array<{ wired: WiredSink; summary: SinkSyncSummary; queue: AccountQueue; work?: { state: SinkAccountState; desired: Awaited<ReturnType<typeof loadDesiredState>>; plan: Awaited<ReturnType<typeof planSink>> } }> = [];
  try {
    for (const wired of options.sinks) {
      const capabilities = wired.sink.capabilities();
      if (!queues.has(wired.sink.account)) queues.set(wired.sink.account, new AccountQueue(capabilities));
      const queue = queues.get(wired.sink.account) as AccountQueue;
      const desired = await loadDesiredState(options.duck, wired.mapping, segments, suppressed, options.experiments, options.consentPolicy);
      const summary: SinkSyncSummary = {
        sinkId: wired.mapping.id, type: wired.mapping.type, mode: wired.mapping.mode, profiles: desired.records.length, excluded: desired.excluded,
        unchanged: 0, parked: 0, planned: { upsert: 0, update: 0, 'list-add': 0, 'list-remove': 0, delete: 0 }, examples: [], minimumCalls: 0,
      };
      prepared.push({ wired, summary, queue });
      // An action-only sink (a webhook) holds no records: nothing to plan, send or acknowledge.
      if (Object.keys(capabilities.operations).length === 0) {
        summary.notes = ['delivers trigger actions only; no records to sync'];
        continue;
      }
      let state: SinkAccountState;
      try {
        state = await accountState(wired, queue, options, ephemeral, summary, { policy, random, sleep });
      } catch (error) {
        summary.error = describeFailure(wired, error);
        continue;
      }
      // Consent withdrawn undoes segflow's lists and values in every mode (additive included).
      const plan = await planSink({ state, desired: desired.records, mode: wired.mapping.mode, ...(isErased ? { isErased } : {}), canDelete: capabilities.operations.delete !== undefined, isWithoutConsent: (profileId) => desired.withoutConsent.has(profileId) });
      Object.assign(summary, {
        unchanged: plan.unchanged, parked: plan.parked, planned: plan.counts,
        examples: examples(plan, new Set(Object.entries(wired.mapping.properties).filter(([, source]) => 'trait' in source).map(([name]) => name))),
        minimumCalls: minimumCalls(plan.changes, capabilities),
      });
      (prepared.at(-1) as (typeof prepared)[number]).work = { state, desired, plan };
    }
    if (options.dryRun) return prepared.map((item) => item.summary);
    // Ctrl-C: stop waiting out throttles and backoffs, so the run ends at the next batch boundary.
    const interrupted = () => {
      for (const queue of queues.values()) queue.resume();
    };
    options.signal.addEventListener('abort', interrupted, { once: true });
    try {
      await Promise.all(prepared.map(async ({ wired, summary, queue, work }) => {
        if (!work) return;
        const callsBefore = queue.calls;
        try {
          const { result } = await syncSink({
            ...(isErased ? { isErased } : {}),
            sink: wired.sink, sinkId: wired.mapping.id, state: work.state, desired: work.desired.records, spec: work.desired.spec, mode: wired.mapping.mode,
            runId: options.runId, queue, policy, random, sleep, now: options.now, signal: options.signal,
            onProgress: (progress) => options.onProgress?.(wired.mapping.id, progress),
          }, work.plan);
          summary.execution = result;
          await work.state.noteSynced(wired.mapping.id, wired.mapping.type);
        } catch (error) {
          // One sink failing (even with a bug) must not hide what the others did.
          summary.error = describeFailure(wired, error);
        } finally {
          summary.calls = queue.calls - callsBefore;
        }
      }));
    } finally {
      options.signal.removeEventListener('abort', interrupted);
    }
    return prepared.map((item) => item.summary);
  } finally {
    await Promise.all([...queues.values()].map((queue) => queue.close()));
    await ephemeral?.close();
  }
}

/**
 * The state of the account this sink writes to. A sandbox has its own
 * (emptied for a sync, empty for a plan); a real account is asked who it is.
 * State written before accounts existed is adopted once by the same sink id.
 */
async function accountState(
  wired: WiredSink, queue: AccountQueue, options: SyncOptions, ephemeral: StateStore | undefined, summary: SinkSyncSummary,
  retry: { policy: RetryPolicy; random: () => number; sleep: (ms: number) => Promise<void> },
): Promise<SinkAccountState> {
  if (wired.sandbox) {
    summary.account = `sandbox:${wired.mapping.type}:${wired.mapping.id}`;
    summary.newAccount = true;
    if (ephemeral) return ephemeral.account(summary.account);
    const state = options.state.account(summary.account);
    await state.reset();
    return state;
  }
  const context: SinkContext = { request: (label, call) => queue.request(label, call), signal: options.signal, now: options.now };
  const identify = wired.sink.identify?.bind(wired.sink);
  summary.account = identify ? await withRetries(() => identify(context), { ...retry, queue, now: options.now }) : wired.sink.account;
  const state = options.state.account(summary.account);
  if (await state.isNew()) {
    const adopted = await state.adoptLegacy(wired.mapping.id);
    if (adopted > 0) (summary.notes ??= []).push(`${adopted.toLocaleString('en-US')} record(s) of state written by an older segflow for sink "${wired.mapping.id}" now belong to ${summary.account}`);
    else summary.newAccount = true;
  }
  return state;
}

function describeFailure(wired: WiredSink, error: unknown): string {
  // Vendors echo records in messages: masked before the summary (and the run history) keeps them.
  return maskPii(error instanceof ConnectorError ? `${wired.mapping.id}: ${error.message}` : `${wired.mapping.id}: internal error: ${asConnectorError(error).message}`);
}

function examples(plan: SyncPlan, personal: ReadonlySet<string>): SinkSyncSummary['examples'] {
  const perOp = new Map<SinkOperation, number>();
  const result: SinkSyncSummary['examples'] = [];
  for (const change of plan.changes) {
    const count = perOp.get(change.op) ?? 0;
    if (count >= 3) continue;
    perOp.set(change.op, count + 1);
    // A delete is mostly an erasure: its profile id (a userId) must not outlive it in the run history.
    result.push({ op: change.op, profileId: change.op === 'delete' ? maskKey(change.record.profileId) : change.record.profileId, key: maskKey(change.record.key), detail: describe(change, personal) });
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
