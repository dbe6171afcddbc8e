import { ConnectorError } from '../errors/connector-error.js';
import { redactEmails } from '../privacy/redact-text.js';
import type { AccountQueue } from './account-queue.js';
import { PHASES, toBatches } from './batching.js';
import { asConnectorError, decideRetry, type RetryPolicy } from './retry-policy.js';
import type { ChangeResult, Sink, SinkBatch, SinkChange, SinkContext, SinkOperation } from './sink.js';
import type { SyncStateStore } from './sync-state.js';

/**
 * Sends a plan to one sink: batches per the sink's limits, all requests
 * through the account's queue, retries per the policy, acknowledgement per
 * record right after each vendor answer, permanent failures to the
 * dead-letter queue. Every change is idempotent at the vendor (upsert by key,
 * membership add/remove), so a re-run after a crash converges.
 */
export interface ExecutorOptions {
  sink: Sink;
  runId: string;
  state: SyncStateStore;
  queue: AccountQueue;
  policy: RetryPolicy;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  signal: AbortSignal;
  onProgress?: (progress: ExecutionProgress) => void;
}

export interface OperationTally {
  applied: number;
  skipped: number;
  deadLettered: number;
  failed: number;
}

export interface ExecutionProgress {
  total: number;
  done: number;
}

export interface ExecutionResult {
  byOp: Record<SinkOperation, OperationTally>;
  applied: number;
  created: number;
  skipped: number;
  deadLettered: number;
  /** Retryable failures that outlived the attempts: not acknowledged, the next run retries them. */
  failed: number;
  /** Membership changes not sent because their record could not be created in this run. */
  blocked: number;
  retries: number;
  throttled: number;
  /** Set when the run stopped early (bad credentials, a daily quota, an interrupt): the rest waits for the next run. */
  stopped?: string;
  /** A few failures, for the summary: profile id, operation, code and the vendor's reason. */
  failureSamples: Array<{ profileId: string; op: SinkOperation; code: string; message: string }>;
}

interface Pending {
  change: SinkChange;
  attempts: number;
  /** The wait the retry decision asked for, and whether the vendor throttled (then the whole account pauses). */
  delayMs?: number;
  throttled?: boolean;
}

export async function executeChanges(changes: readonly SinkChange[], options: ExecutorOptions): Promise<ExecutionResult> {
  const { sink, state, queue, policy } = options;
  const capabilities = sink.capabilities();
  const tally = (): OperationTally => ({ applied: 0, skipped: 0, deadLettered: 0, failed: 0 });
  const result: ExecutionResult = {
    byOp: { upsert: tally(), update: tally(), 'list-add': tally(), 'list-remove': tally(), delete: tally() },
    applied: 0, created: 0, skipped: 0, deadLettered: 0, failed: 0, blocked: 0, retries: 0, throttled: 0, failureSamples: [],
  };
  const context: SinkContext = { request: (label, call) => queue.request(label, call), signal: options.signal, now: options.now };
  const vendorIds = new Map<string, string>();
  for (const change of changes) if (change.record.vendorId) vendorIds.set(change.record.profileId, change.record.vendorId);
  const recordFailed = new Set<string>();
  const progress = { total: changes.length, done: 0 };
  const finish = (count: number) => {
    progress.done += count;
    options.onProgress?.({ ...progress });
  };
  const stop = (reason: string) => {
    result.stopped ??= reason;
  };
  const noteFailure = (change: SinkChange, error: ConnectorError) => {
    if (result.failureSamples.length < 5) result.failureSamples.push({ profileId: change.record.profileId, op: change.op, code: error.code, message: redactEmails(error.message) });
  };

  const settle = (batch: SinkBatch, pending: readonly Pending[], results: readonly ChangeResult[], retryLater: Pending[]) => {
    const acks: Array<{ change: SinkChange; vendorId?: string }> = [];
    const deadLetters: Array<{ change: SinkChange; error: ConnectorError }> = [];
    const notFound: string[] = [];
    pending.forEach(({ change, attempts }, index) => {
      const outcome = results[index] as ChangeResult;
      const tallyOp = result.byOp[change.op];
      if (outcome.status === 'applied') {
        if (outcome.vendorId) vendorIds.set(change.record.profileId, outcome.vendorId);
        if (outcome.created) result.created += 1;
        acks.push({ change, ...(outcome.vendorId ? { vendorId: outcome.vendorId } : {}) });
        tallyOp.applied += 1;
        result.applied += 1;
        finish(1);
      } else if (outcome.status === 'skipped') {
        // The desired state holds (already a member, not a member), or there is no record to change.
        if (change.op === 'update') notFound.push(change.record.profileId);
        else acks.push({ change });
        tallyOp.skipped += 1;
        result.skipped += 1;
        finish(1);
      } else {
        const decision = decideRetry(outcome.error, attempts + 1, policy, options.random);
        if (decision.action === 'retry') {
          retryLater.push({ change, attempts: decision.countsAsAttempt ? attempts + 1 : attempts, delayMs: decision.delayMs, throttled: outcome.error.details.throttled === true });
          return;
        }
        if (change.op === 'upsert' || change.op === 'update') recordFailed.add(change.record.profileId);
        noteFailure(change, outcome.error);
        if (decision.action === 'stop-run') stop(decision.reason);
        if (outcome.error.kind === 'permanent') {
          deadLetters.push({ change, error: outcome.error });
          tallyOp.deadLettered += 1;
          result.deadLettered += 1;
        } else {
          tallyOp.failed += 1;
          result.failed += 1;
        }
        finish(1);
      }
    });
    if (batch.op === 'update' && notFound.length > 0) state.forget(notFound);
    state.acknowledge(acks);
    if (deadLetters.length > 0) state.deadLetter(options.runId, deadLetters);
  };

  const runBatch = async (pending: Pending[], retryLater: Pending[]): Promise<void> => {
    const batch = asBatch(pending);
    for (;;) {
      if (result.stopped !== undefined) return;
      if (options.signal.aborted) return stop('interrupted; the next run resumes where this one stopped');
      if (batch.op !== 'delete') state.markPending(batch.changes);
      let results: ChangeResult[];
      try {
        results = await sink.apply(batch, context);
      } catch (error) {
        const failure = asConnectorError(error);
        const attempts = Math.max(...pending.map((item) => item.attempts)) + 1;
        const decision = decideRetry(failure, attempts, policy, options.random);
        if (decision.action === 'retry') {
          result.retries += 1;
          if (failure.details.throttled) {
            result.throttled += 1;
            queue.pauseFor(decision.delayMs, options.now());
          } else {
            for (const item of pending) item.attempts += 1;
            await options.sleep(decision.delayMs);
          }
          continue;
        }
        if (decision.action === 'stop-run') return stop(decision.reason);
        if (failure.kind === 'permanent' && pending.length > 1) {
          // One bad record can fail a whole call (a 400 naming no input): bisect, so only it is dead-lettered.
          const middle = pending.length >> 1;
          await runBatch(pending.slice(0, middle), retryLater);
          await runBatch(pending.slice(middle), retryLater);
          return;
        }
        settle(batch, pending, pending.map(() => ({ status: 'failed', error: failure })), retryLater);
        return;
      }
      if (results.length !== pending.length) {
        // A connector bug: nothing in this answer can be trusted, so nothing is acknowledged; the changes fail (retryably) and the run goes on.
        const error = new ConnectorError('retryable', 'sync.contract', `${sink.kind} returned ${results.length} results for ${pending.length} changes (${batch.op}); this is a bug in the connector`);
        settle(batch, pending, pending.map(() => ({ status: 'failed', error })), retryLater);
        return;
      }
      settle(batch, pending, results, retryLater);
      return;
    }
  };

  for (const phase of PHASES) {
    let work: Pending[] = [];
    for (const change of changes) {
      if (!phase.includes(change.op)) continue;
      if (change.op === 'list-add' || change.op === 'list-remove') {
        const vendorId = vendorIds.get(change.record.profileId);
        const sameRecordKnown = change.record.vendorId !== undefined;
        // No vendor id and the record could not be written this run: a membership would create a
        // record of its own on vendors that need no id (Segment), or fail on those that do.
        if (!sameRecordKnown && vendorId === undefined && (capabilities.membershipNeedsVendorId || recordFailed.has(change.record.profileId))) {
          result.blocked += 1;
          finish(1);
          continue;
        }
        work.push({ change: sameRecordKnown || vendorId === undefined ? change : { ...change, record: { ...change.record, vendorId } }, attempts: 0 });
      } else {
        work.push({ change, attempts: 0 });
      }
    }
    while (work.length > 0 && result.stopped === undefined) {
      const retryLater: Pending[] = [];
      const byChange = new Map(work.map((item) => [item.change, item]));
      const batches = toBatches(work.map((item) => item.change), capabilities).map((batch) => batch.changes.map((change) => byChange.get(change) as Pending));
      await runPool(batches, Math.max(2, capabilities.concurrency * 2), (pending) => runBatch(pending, retryLater));
      if (retryLater.length > 0) {
        result.retries += retryLater.length;
        // Wait as long as the longest decision asked (the vendor's Retry-After included); a throttle pauses the account.
        const delay = Math.max(...retryLater.map((item) => item.delayMs ?? 0));
        if (retryLater.some((item) => item.throttled)) {
          result.throttled += 1;
          queue.pauseFor(delay, options.now());
        } else {
          await options.sleep(delay);
        }
      }
      work = retryLater;
    }
  }
  return result;
}

function asBatch(pending: readonly Pending[]): SinkBatch {
  const first = (pending[0] as Pending).change;
  return { op: first.op, ...('list' in first ? { list: first.list } : {}), changes: pending.map((item) => item.change) };
}

/** Runs tasks with at most `limit` in flight; rejects with the first error after in-flight work settles. */
async function runPool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
}
