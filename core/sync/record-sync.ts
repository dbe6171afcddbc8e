import type { ConnectorError } from '../errors/connector-error.js';
import { redactEmails } from '../privacy/redact-text.js';
import type { SinkAccountState } from '../store/state/sink-account-state.js';
import { deliver, type DeliveryContext, type DeliveryOutcome } from './delivery/deliver.js';
import { PHASES, toBatches } from './batching.js';
import type { Sink, SinkBatch, SinkChange, SinkContext, SinkOperation } from './sink.js';

/**
 * Record sync on top of delivery (delivery/deliver.ts): sends a plan to one
 * sink in phases (records, then removals, then additions, so membership
 * calls get the vendor ids upserts return), marks what may reach the vendor
 * before each call, acknowledges per record right after each vendor answer,
 * and dead-letters what the vendor refused. Every change is idempotent at the
 * vendor (upsert by key, membership add/remove), so a re-run after a crash
 * converges.
 */
export interface ExecutorOptions extends DeliveryContext {
  sink: Sink;
  /** The sink's id in the mapping (dead letters name it). */
  sinkId: string;
  runId: string;
  state: SinkAccountState;
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

export async function executeChanges(changes: readonly SinkChange[], options: ExecutorOptions): Promise<ExecutionResult> {
  const { sink, state } = options;
  const capabilities = sink.capabilities();
  const tally = (): OperationTally => ({ applied: 0, skipped: 0, deadLettered: 0, failed: 0 });
  const result: ExecutionResult = {
    byOp: { upsert: tally(), update: tally(), 'list-add': tally(), 'list-remove': tally(), delete: tally() },
    applied: 0, created: 0, skipped: 0, deadLettered: 0, failed: 0, blocked: 0, retries: 0, throttled: 0, failureSamples: [],
  };
  const context: SinkContext = { request: (label, call) => options.queue.request(label, call), signal: options.signal, now: options.now, runId: options.runId };
  const vendorIds = new Map<string, string>();
  for (const change of changes) if (change.record.vendorId) vendorIds.set(change.record.profileId, change.record.vendorId);
  const recordFailed = new Set<string>();
  const progress = { total: changes.length, done: 0 };
  const finish = (count: number) => {
    progress.done += count;
    options.onProgress?.({ ...progress });
  };

  const settle = async (outcomes: ReadonlyArray<DeliveryOutcome<SinkChange>>) => {
    const acks: Array<{ change: SinkChange; vendorId?: string }> = [];
    const deadLetters: Array<{ change: SinkChange; error: ConnectorError }> = [];
    const notFound: string[] = [];
    for (const outcome of outcomes) {
      const change = outcome.item;
      const tallyOp = result.byOp[change.op];
      if (outcome.status === 'applied') {
        if (outcome.vendorId) vendorIds.set(change.record.profileId, outcome.vendorId);
        if (outcome.created) result.created += 1;
        acks.push({ change, ...(outcome.vendorId ? { vendorId: outcome.vendorId } : {}) });
        tallyOp.applied += 1;
        result.applied += 1;
      } else if (outcome.status === 'skipped') {
        // The desired state holds (already a member, not a member), or there is no record to change.
        if (change.op === 'update') notFound.push(change.record.profileId);
        else acks.push({ change });
        tallyOp.skipped += 1;
        result.skipped += 1;
      } else {
        if (change.op === 'upsert' || change.op === 'update') recordFailed.add(change.record.profileId);
        if (result.failureSamples.length < 5) result.failureSamples.push({ profileId: change.record.profileId, op: change.op, code: outcome.error.code, message: redactEmails(outcome.error.message) });
        if (outcome.status === 'rejected') {
          deadLetters.push({ change, error: outcome.error });
          tallyOp.deadLettered += 1;
          result.deadLettered += 1;
        } else {
          tallyOp.failed += 1;
          result.failed += 1;
        }
      }
    }
    await state.forget(notFound);
    await state.acknowledge(acks);
    await state.deadLetter(options.runId, options.sinkId, deadLetters);
    finish(outcomes.length);
  };

  for (const phase of PHASES) {
    if (result.stopped !== undefined) break;
    const work: SinkChange[] = [];
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
        work.push(sameRecordKnown || vendorId === undefined ? change : { ...change, record: { ...change.record, vendorId } });
      } else {
        work.push(change);
      }
    }
    const stats = await deliver(work, {
      queue: options.queue, policy: options.policy, random: options.random, sleep: options.sleep, now: options.now, signal: options.signal,
      parallelBatches: Math.max(2, capabilities.concurrency * 2),
      connector: sink.kind,
      toBatches: (items) => toBatches(items, capabilities).map((batch) => [...batch.changes]),
      beforeSend: async (batch) => {
        if (batch[0]?.op !== 'delete') await state.markPending(batch);
      },
      send: (batch) => sink.apply(asBatch(batch), context),
      settle,
    });
    result.retries += stats.retries;
    result.throttled += stats.throttled;
    if (stats.stopped !== undefined) result.stopped ??= stats.stopped;
  }
  return result;
}

function asBatch(changes: readonly SinkChange[]): SinkBatch {
  const first = changes[0] as SinkChange;
  return { op: first.op, ...('list' in first ? { list: first.list } : {}), changes };
}
