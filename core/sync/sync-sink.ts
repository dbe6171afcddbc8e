import { executeChanges, type ExecutionResult, type ExecutorOptions } from './executor.js';
import { planSync, type DesiredRecord, type PlanInput, type SyncPlan } from './planner.js';
import { asConnectorError, decideRetry } from './retry-policy.js';
import type { SinkContext, SinkSchemaSpec } from './sink.js';
import { fingerprint, type SyncStateStore } from './sync-state.js';
import type { SyncModeName } from '../config/sink-schema.js';

/**
 * One sink's sync: plan against the acknowledged state, make sure the
 * vendor schema exists (with the same retry rules as changes: a throttle
 * during setup is waited out), then execute. `segflow sync`, the tests and
 * the benchmark all go through here.
 */
export interface SyncSinkOptions extends Omit<ExecutorOptions, 'state'> {
  store: SyncStateStore;
  desired: readonly DesiredRecord[];
  spec: SinkSchemaSpec;
  mode: SyncModeName;
  /** Keys (or profiles) under an erasure request. */
  isErased?: (key: string, profileId: string) => boolean;
}

export function planSink(options: Pick<SyncSinkOptions, 'store' | 'desired' | 'mode' | 'isErased'> & Pick<PlanInput, 'canDelete'>): SyncPlan {
  options.store.reconcileKeys(options.desired);
  const parked = options.store.parkedFingerprints();
  return planSync({
    ...(options.isErased ? { isErased: options.isErased } : {}),
    ...(options.canDelete !== undefined ? { canDelete: options.canDelete } : {}),
    mode: options.mode,
    desired: options.desired,
    acked: options.store.loadAcked(),
    isParked: parked.size === 0 ? undefined : (change) => parked.has(fingerprint(change)),
  });
}

export async function syncSink(options: SyncSinkOptions, plan: SyncPlan = planSink(options)): Promise<{ plan: SyncPlan; result: ExecutionResult }> {
  options.store.forget(plan.forget);
  const context: SinkContext = { request: (label, call) => options.queue.request(label, call), signal: options.signal, now: options.now };
  await withRetries(() => options.sink.prepare(options.spec, context), options);
  const result = await executeChanges(plan.changes, { ...options, state: options.store });
  // An erased record the vendor could not delete was emptied: drop its row too, so no raw key stays behind.
  if (options.isErased) options.store.dropEmptied(options.isErased);
  return { plan, result };
}

/** Retries one whole call (schema setup) under the policy; config and permanent errors surface at once. */
export async function withRetries<T>(call: () => Promise<T>, options: Pick<SyncSinkOptions, 'policy' | 'random' | 'sleep' | 'queue' | 'now'>): Promise<T> {
  for (let attempt = 1; ; ) {
    try {
      return await call();
    } catch (error) {
      const failure = asConnectorError(error);
      const decision = decideRetry(failure, attempt, options.policy, options.random);
      if (decision.action !== 'retry') throw failure;
      if (failure.details.throttled) options.queue.pauseFor(decision.delayMs, options.now());
      else await options.sleep(decision.delayMs);
      if (decision.countsAsAttempt) attempt += 1;
    }
  }
}

