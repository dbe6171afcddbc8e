import { randomUUID } from 'node:crypto';
import type { DesiredRecord, SyncPlan } from '../planner.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../delivery/retry-policy.js';
import type { ExecutionResult } from '../record-sync.js';
import type { Sink, SinkSchemaSpec } from '../sink.js';
import { AccountQueue } from '../delivery/account-queue.js';
import { syncSink } from '../sync-sink.js';
import type { StateStore } from '../../store/state/state-store.js';

/** The account key simulated syncs (sink suites, bench) keep their state under. */
export const SIMULATED_ACCOUNT = 'test:account';

/** One sync of a desired population through the engine's own per-sink path (plan → prepare → execute). */
export async function syncOnce(options: {
  sink: Sink;
  state: StateStore;
  desired: readonly DesiredRecord[];
  spec: SinkSchemaSpec;
  mode?: 'sync' | 'additive' | 'enrich';
  policy?: Partial<RetryPolicy>;
  seed?: number;
}): Promise<{ plan: SyncPlan; result: ExecutionResult; calls: number }> {
  const queue = new AccountQueue(options.sink.capabilities());
  let seed = options.seed ?? 1;
  const random = () => {
    // A tiny seeded LCG: jitter only needs to be reproducible here.
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const { plan, result } = await syncSink({
    sink: options.sink, sinkId: 'sink', state: options.state.account(SIMULATED_ACCOUNT), desired: options.desired, spec: options.spec,
    mode: options.mode ?? 'sync', queue, runId: `simulated-${randomUUID()}`, policy: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 20, maxDelayMs: 200, ...options.policy },
    random, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), now: Date.now, signal: new AbortController().signal,
  });
  await queue.close();
  return { plan, result, calls: queue.calls };
}
