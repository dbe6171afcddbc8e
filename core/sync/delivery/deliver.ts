import { ConnectorError } from '../../errors/connector-error.js';
import type { ChangeResult } from '../sink.js';
import type { AccountQueue } from './account-queue.js';
import { asConnectorError, decideRetry, type RetryPolicy } from './retry-policy.js';

/**
 * Delivery: gets items to a vendor account and reports each one's final
 * outcome, whatever the items mean. Batches go through the account's queue
 * (pacing), retryable failures are retried per the policy (a throttle pauses
 * the whole account and uses up no attempt), a whole call refused as
 * permanent is bisected down to the bad item, and config failures, daily
 * quotas and interrupts stop the delivery cleanly. What an outcome means
 * (acknowledged state, a dead letter, an action marked delivered) belongs to
 * the caller: record sync (record-sync.ts) and, with triggers, actions.
 */
/** How delivery paces, waits and stops: the account's queue, the retry policy, an injected clock, jitter and sleep, Ctrl-C. */
export interface DeliveryContext {
  queue: AccountQueue;
  policy: RetryPolicy;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  signal: AbortSignal;
}

export interface DeliveryOptions<Item> extends DeliveryContext {
  /** Calls in flight at once (the queue holds the account's own limit). */
  parallelBatches: number;
  /** Splits items into vendor calls (sizes, one operation per call …). */
  toBatches(items: readonly Item[]): Item[][];
  /** One vendor call: exactly one result per item, in order; throws when the whole call failed. */
  send(batch: readonly Item[]): Promise<ChangeResult[]>;
  /** Runs before every attempt of a batch ("this may reach the vendor"). */
  beforeSend?(batch: readonly Item[]): Promise<void>;
  /** The final outcomes of one vendor answer, together (so the caller records them in one transaction). */
  settle(outcomes: ReadonlyArray<DeliveryOutcome<Item>>): Promise<void>;
  /** Names the connector in contract errors. */
  connector: string;
}

export type DeliveryOutcome<Item> =
  | { item: Item; status: 'applied'; vendorId?: string; created?: boolean }
  | { item: Item; status: 'skipped'; reason: string }
  /** The vendor will never accept it (dead-letter it). */
  | { item: Item; status: 'rejected'; error: ConnectorError }
  /** Retryable, but out of attempts or stopped: try again next run. */
  | { item: Item; status: 'failed'; error: ConnectorError };

export interface DeliveryStats {
  retries: number;
  throttled: number;
  /** Set when delivery stopped early (bad credentials, a daily quota, an interrupt): the rest waits for the next run. */
  stopped?: string;
}

interface Pending<Item> {
  item: Item;
  attempts: number;
  /** The wait the retry decision asked for, and whether the vendor throttled (then the whole account pauses). */
  delayMs?: number;
  throttled?: boolean;
}

export async function deliver<Item>(items: readonly Item[], options: DeliveryOptions<Item>): Promise<DeliveryStats> {
  const stats: DeliveryStats = { retries: 0, throttled: 0 };
  const stop = (reason: string) => {
    stats.stopped ??= reason;
  };
  let work: Array<Pending<Item>> = items.map((item) => ({ item, attempts: 0 }));
  while (work.length > 0 && stats.stopped === undefined) {
    const retryLater: Array<Pending<Item>> = [];
    const byItem = new Map(work.map((pending) => [pending.item, pending]));
    const batches = options.toBatches(work.map((pending) => pending.item)).map((batch) => batch.map((item) => byItem.get(item) as Pending<Item>));
    await runPool(batches, options.parallelBatches, (batch) => sendBatch(batch, retryLater, options, stats, stop));
    if (retryLater.length > 0) {
      stats.retries += retryLater.length;
      // Wait as long as the longest decision asked (the vendor's Retry-After included); a throttle pauses the account.
      const delay = Math.max(...retryLater.map((pending) => pending.delayMs ?? 0));
      if (retryLater.some((pending) => pending.throttled)) {
        stats.throttled += 1;
        options.queue.pauseFor(delay, options.now());
      } else {
        await options.sleep(delay);
      }
    }
    work = retryLater;
  }
  return stats;
}

async function sendBatch<Item>(batch: Array<Pending<Item>>, retryLater: Array<Pending<Item>>, options: DeliveryOptions<Item>, stats: DeliveryStats, stop: (reason: string) => void): Promise<void> {
  for (;;) {
    if (stats.stopped !== undefined) return;
    if (options.signal.aborted) return stop('interrupted; the next run resumes where this one stopped');
    const items = batch.map((pending) => pending.item);
    await options.beforeSend?.(items);
    let results: ChangeResult[];
    try {
      results = await options.send(items);
    } catch (error) {
      const failure = asConnectorError(error);
      const decision = decideRetry(failure, Math.max(...batch.map((pending) => pending.attempts)) + 1, options.policy, options.random);
      if (decision.action === 'retry') {
        stats.retries += 1;
        if (failure.details.throttled) {
          stats.throttled += 1;
          options.queue.pauseFor(decision.delayMs, options.now());
        } else {
          for (const pending of batch) pending.attempts += 1;
          await options.sleep(decision.delayMs);
        }
        continue;
      }
      if (decision.action === 'stop-run') return stop(decision.reason);
      if (failure.kind === 'permanent' && batch.length > 1) {
        // One bad item can fail a whole call (a 400 naming no input): bisect, so only it is rejected.
        const middle = batch.length >> 1;
        await sendBatch(batch.slice(0, middle), retryLater, options, stats, stop);
        await sendBatch(batch.slice(middle), retryLater, options, stats, stop);
        return;
      }
      return settle(batch, batch.map(() => ({ status: 'failed', error: failure })), retryLater, options, stop);
    }
    if (results.length !== batch.length) {
      // A connector bug: nothing in this answer can be trusted, so nothing is acknowledged; the items fail (retryably) and delivery goes on.
      const error = new ConnectorError('retryable', 'sync.contract', `${options.connector} returned ${results.length} results for ${batch.length} items; this is a bug in the connector`);
      return settle(batch, batch.map(() => ({ status: 'failed', error })), retryLater, options, stop);
    }
    return settle(batch, results, retryLater, options, stop);
  }
}

async function settle<Item>(batch: ReadonlyArray<Pending<Item>>, results: readonly ChangeResult[], retryLater: Array<Pending<Item>>, options: DeliveryOptions<Item>, stop: (reason: string) => void): Promise<void> {
  const outcomes: Array<DeliveryOutcome<Item>> = [];
  batch.forEach((pending, index) => {
    const result = results[index] as ChangeResult;
    if (result.status === 'applied') outcomes.push({ item: pending.item, status: 'applied', ...(result.vendorId ? { vendorId: result.vendorId } : {}), ...(result.created ? { created: true } : {}) });
    else if (result.status === 'skipped') outcomes.push({ item: pending.item, status: 'skipped', reason: result.reason });
    else {
      const decision = decideRetry(result.error, pending.attempts + 1, options.policy, options.random);
      if (decision.action === 'retry') {
        retryLater.push({ item: pending.item, attempts: decision.countsAsAttempt ? pending.attempts + 1 : pending.attempts, delayMs: decision.delayMs, throttled: result.error.details.throttled === true });
        return;
      }
      if (decision.action === 'stop-run') stop(decision.reason);
      outcomes.push({ item: pending.item, status: result.error.kind === 'permanent' ? 'rejected' : 'failed', error: result.error });
    }
  });
  if (outcomes.length > 0) await options.settle(outcomes);
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
