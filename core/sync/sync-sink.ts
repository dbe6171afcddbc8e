import type { SyncModeName } from '../config/sink-schema.js';
import type { SinkAccountState } from '../store/state/sink-account-state.js';
import { fingerprint } from './change-fingerprint.js';
import { asConnectorError, decideRetry } from './delivery/retry-policy.js';
import { executeChanges, type ExecutionResult, type ExecutorOptions } from './record-sync.js';
import { planSync, type DesiredRecord, type PlanInput, type SyncPlan } from './planner.js';
import type { SinkContext, SinkSchemaSpec } from './sink.js';

/**
 * One sink's sync: plan against the account's acknowledged state, make sure
 * the vendor schema exists (with the same retry rules as changes: a throttle
 * during setup is waited out), then execute. `segflow sync`, the tests and
 * the benchmark all go through here.
 */
export interface SyncSinkOptions extends ExecutorOptions {
  desired: readonly DesiredRecord[];
  spec: SinkSchemaSpec;
  mode: SyncModeName;
  /** Keys (or profiles) under an erasure request. */
  isErased?: (key: string, profileId: string) => boolean;
}

export async function planSink(options: { state: SinkAccountState; desired: readonly DesiredRecord[]; mode: SyncModeName; isErased?: (key: string, profileId: string) => boolean } & Pick<PlanInput, 'canDelete' | 'isWithoutConsent'>): Promise<SyncPlan> {
  await options.state.reconcileKeys(options.desired);
  const parked = await options.state.parkedFingerprints();
  return planSync({
    ...(options.isWithoutConsent ? { isWithoutConsent: options.isWithoutConsent } : {}),
    ...(options.isErased ? { isErased: options.isErased } : {}),
    ...(options.canDelete !== undefined ? { canDelete: options.canDelete } : {}),
    mode: options.mode,
    desired: options.desired,
    acked: await options.state.loadAcked(),
    isParked: parked.size === 0 ? undefined : (change) => parked.has(fingerprint(change)),
  });
}

export async function syncSink(options: SyncSinkOptions, planned?: SyncPlan): Promise<{ plan: SyncPlan; result: ExecutionResult }> {
  const plan = planned ?? (await planSink({ ...options, canDelete: options.sink.capabilities().operations.delete !== undefined }));
  await options.state.forget(plan.forget);
  const context: SinkContext = { request: (label, call) => options.queue.request(label, call), signal: options.signal, now: options.now };
  await withRetries(() => options.sink.prepare(options.spec, context), options);
  const result = await executeChanges(plan.changes, options);
  // An erased record the vendor could not delete was emptied: drop its row too, so no raw key stays behind.
  if (options.isErased) await options.state.dropEmptied(options.isErased);
  return { plan, result };
}

/** Retries one whole call (schema setup, account lookup) under the policy; config and permanent errors surface at once. */
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
