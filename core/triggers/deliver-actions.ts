import type { ConnectorError } from '../errors/connector-error.js';
import { maskPii } from '../privacy/mask-pii.js';
import type { ActionOutbox, ActionSettlement, OwedAction } from '../store/state/action-outbox.js';
import type { AccountQueue } from '../sync/delivery/account-queue.js';
import { deliver, type DeliveryOutcome } from '../sync/delivery/deliver.js';
import type { RetryPolicy } from '../sync/delivery/retry-policy.js';
import type { ActionCapability, SinkAction, SinkContext, SinkRecordRef } from '../sync/sink.js';
import type { OutgoingAction } from './engine-records.js';

/**
 * Drains the trigger outbox into the vendors: the same delivery layer as
 * record sync (the account's queue and limits, retries by error kind,
 * bisection down to a bad action), with every outcome written back to the
 * outbox row. The action's id travels to the vendor as its idempotency key
 * (sinks decide how), so an action sent again after a lost answer is the
 * same action. Owed rows stay owed until a final outcome: a crash between
 * the vendor's answer and `settle` sends the action again under its id.
 */
export interface ActionSinkBinding {
  sinkId: string;
  actions: ActionCapability;
  queue: AccountQueue;
  /** The vendor record each profile's actions are about; a profile absent from the map has none (skipped with `missing`). */
  records(profileIds: readonly string[]): Promise<Map<string, SinkRecordRef>>;
  /** Why a profile has no record, for the skip reason: e.g. `no email trait`. */
  missing: string;
}

export interface DrainOptions {
  outbox: ActionOutbox;
  sinks: ReadonlyMap<string, ActionSinkBinding>;
  policy: RetryPolicy;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  signal: AbortSignal;
  /** Owed actions read per drain. @default 2_000 */
  limit?: number;
  /** An action still failing after this many drains is dead. @default 10 */
  maxAttempts?: number;
  onSettled?: (action: OutgoingAction, settlement: ActionSettlement) => void;
}

export interface DrainResult {
  delivered: number;
  skipped: number;
  dead: number;
  /** Retryable failures, owed again later. */
  retrying: number;
  /** Why a sink stopped early (bad credentials, daily quota): its actions stay owed. */
  stopped: Record<string, string>;
}

export async function drainOutbox(options: DrainOptions): Promise<DrainResult> {
  const result: DrainResult = { delivered: 0, skipped: 0, dead: 0, retrying: 0, stopped: {} };
  const owed = await options.outbox.owed(options.now(), options.limit ?? 2_000);
  const bySink = new Map<string, OwedAction[]>();
  for (const item of owed) {
    const list = bySink.get(item.action.sink);
    if (list === undefined) bySink.set(item.action.sink, [item]);
    else list.push(item);
  }
  const settleAll = async (settlements: ActionSettlement[], actions: ReadonlyMap<string, OutgoingAction>) => {
    await options.outbox.settle(settlements);
    for (const settlement of settlements) {
      if (settlement.outcome === 'retry') result.retrying++;
      else result[settlement.outcome]++;
      const action = actions.get(settlement.id);
      if (action !== undefined) options.onSettled?.(action, settlement);
    }
  };
  await Promise.all([...bySink].map(async ([sinkId, items]) => {
    const byId = new Map(items.map((item) => [item.action.id, item.action]));
    const binding = options.sinks.get(sinkId);
    const at = options.now();
    if (binding === undefined) {
      // The mapping no longer has the sink: nothing can deliver these, so they are dead with the reason (not silently owed forever).
      return settleAll(items.map((item) => ({ id: item.action.id, outcome: 'dead', detail: `sink "${sinkId}" is no longer in the mapping`, at })), byId);
    }
    const stopped = await drainSink(binding, items, options, (settlements) => settleAll(settlements, byId));
    if (stopped !== undefined) result.stopped[sinkId] = stopped;
  }));
  return result;
}

async function drainSink(binding: ActionSinkBinding, items: readonly OwedAction[], options: DrainOptions, settle: (settlements: ActionSettlement[]) => Promise<void>): Promise<string | undefined> {
  const records = await binding.records([...new Set(items.map((item) => item.action.profileId))]);
  const attempts = new Map(items.map((item) => [item.action.id, item.attempts]));
  const unknown = binding.actions.kinds;
  const early: ActionSettlement[] = [];
  const sendable: SinkAction[] = [];
  for (const { action } of items) {
    const record = records.get(action.profileId);
    if (!unknown.includes(action.kind)) early.push({ id: action.id, outcome: 'dead', detail: `sink "${binding.sinkId}" has no action kind "${action.kind}" (it has: ${unknown.join(', ')})`, at: options.now() });
    else if (record === undefined) early.push({ id: action.id, outcome: 'skipped', detail: binding.missing, at: options.now() });
    else sendable.push(toSinkAction(action, record));
  }
  await settle(early);
  if (sendable.length === 0) return undefined;
  const context: SinkContext = { request: (label, call) => binding.queue.request(label, call), signal: options.signal, now: options.now };
  const stats = await deliver(sendable, {
    queue: binding.queue, policy: options.policy, random: options.random, sleep: options.sleep, now: options.now, signal: options.signal,
    parallelBatches: 2,
    connector: `sink "${binding.sinkId}"`,
    toBatches: (actions) => batchesOf(actions, binding.actions.maxBatch),
    send: (batch) => binding.actions.deliver(batch, context),
    settle: (outcomes) => settle(outcomes.map((outcome) => settlementOf(outcome, attempts.get(outcome.item.id) ?? 0, options))),
  });
  return stats.stopped;
}

/** One call carries one kind and one target; within that, arrival order and the sink's batch size. */
export function batchesOf(actions: readonly SinkAction[], maxBatch: number): SinkAction[][] {
  const groups = new Map<string, SinkAction[]>();
  for (const action of actions) {
    const key = `${action.kind}\u001f${action.target}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [action]);
    else group.push(action);
  }
  const batches: SinkAction[][] = [];
  for (const group of groups.values()) for (let start = 0; start < group.length; start += Math.max(1, maxBatch)) batches.push(group.slice(start, start + Math.max(1, maxBatch)));
  return batches;
}

function toSinkAction(action: OutgoingAction, record: SinkRecordRef): SinkAction {
  return { id: action.id, kind: action.kind, target: action.target ?? '', record, occurredAt: new Date(action.occurredAt).toISOString(), properties: action.payload };
}

function settlementOf(outcome: DeliveryOutcome<SinkAction>, attempts: number, options: DrainOptions): ActionSettlement {
  const at = options.now();
  const id = outcome.item.id;
  if (outcome.status === 'applied') return { id, outcome: 'delivered', at };
  if (outcome.status === 'skipped') return { id, outcome: 'skipped', detail: outcome.reason, at };
  const detail = describe(outcome.error);
  if (outcome.status === 'rejected') return { id, outcome: 'dead', detail, at };
  const maxAttempts = options.maxAttempts ?? 10;
  if (attempts + 1 >= maxAttempts) return { id, outcome: 'dead', detail: `gave up after ${maxAttempts} attempts: ${detail}`, at };
  // Held back between drains (the delivery layer already retried within this one): 5 s, 10 s, 20 s … up to 10 min.
  return { id, outcome: 'retry', detail, at, retryAt: at + Math.min(5_000 * 2 ** attempts, 600_000) };
}

function describe(error: ConnectorError): string {
  // Vendors echo the record in messages; mask before the text is stored or printed.
  return maskPii(`${error.code}: ${error.message}`, { maxChars: 500 });
}
