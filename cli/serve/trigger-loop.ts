import type { Registry } from 'prom-client';
import type { Workspace, WiredSinks } from '../../core/runtime/index.js';
import { bindActionSinks } from '../../core/runtime/triggers/action-bindings.js';
import { TriggerRuntime } from '../../core/runtime/triggers/trigger-runtime.js';
import { loadMappingSuppressions } from '../../core/privacy/suppressions.js';
import { consentPolicyOf } from '../../core/privacy/consent-decision.js';
import { DEFAULT_RETRY_POLICY } from '../../core/sync/delivery/retry-policy.js';
import type { DrainResult } from '../../core/triggers/deliver-actions.js';
import type { EventStore } from '../../core/store/event-store.js';
import type { WorkQueue } from './work-queue.js';
import { registerTriggerMetrics } from './trigger-metrics.js';
import { recordTriggersFired } from '../../core/audit/index.js';
import { abortableSleep } from '../../core/sync/delivery/abortable-sleep.js';

/**
 * Triggers inside `segflow serve`: on every tick, the events the loader
 * stored since the last tick go through the engine and the event clock is
 * advanced to the wall clock (both as one work-queue job, since they read
 * DuckDB), then the outbox is drained into the vendors outside the queue
 * (vendor calls must not hold up loads). One drain at a time; a drain that
 * is still running when the next tick comes is not doubled.
 */
export interface TriggerLoop {
  readonly runtime: TriggerRuntime;
  /** One tick: feed, advance the clock, deliver. Tests call it with the timer off. */
  step(): Promise<DrainResult>;
  /** Stops the timer, waits for the step in flight, closes the sinks. */
  stop(): Promise<void>;
}

export interface TriggerLoopOptions {
  queue: WorkQueue;
  registry: Registry;
  log: (level: 'info' | 'warn', message: string, fields: object) => void;
  /** @default 1000 */
  tickMs: number;
  /** Start the tick timer (tests drive `step`). */
  timers: boolean;
}

export async function startTriggerLoop(workspace: Workspace, store: EventStore, options: TriggerLoopOptions): Promise<TriggerLoop | undefined> {
  const config = workspace.mapping.triggers;
  if (config === undefined || config.rules.length === 0) return undefined;
  const metrics = registerTriggerMetrics(options.registry, workspace.state.actions);
  // The audit trail gets the counts per trigger once a minute (and at stop), not one entry per tick.
  const fired: Record<string, number> = {};
  let firedSince = workspace.now();
  const flushAudit = async (force: boolean) => {
    const now = workspace.now();
    if (!force && now - firedSince < 60_000) return;
    const counts = { ...fired };
    for (const id of Object.keys(fired)) delete fired[id];
    await recordTriggersFired(workspace, counts, { from: new Date(firedSince).toISOString(), to: new Date(now).toISOString() });
    firedSince = now;
  };
  const runtime = new TriggerRuntime({
    duck: store.connection, state: workspace.state, config, now: workspace.now,
    loadSuppressed: () => loadMappingSuppressions({ state: workspace.state, baseDir: workspace.baseDir, env: workspace.env }),
    consentPolicy: consentPolicyOf(workspace.mapping),
    onBatch: (result, events) => {
      metrics.batch(result, events);
      for (const action of result.actions) fired[action.triggerId] = (fired[action.triggerId] ?? 0) + 1;
    },
    onSettled: (action, settlement) => metrics.settled(action, settlement),
  });
  await options.queue.run(() => runtime.start());
  const controller = new AbortController();
  const retry = { policy: DEFAULT_RETRY_POLICY, random: Math.random, sleep: abortableSleep(controller.signal), signal: controller.signal };
  let wired: WiredSinks | undefined;
  let close: (() => Promise<void>) | undefined;
  try {
    wired = await workspace.connectors.sinks(workspace.mapping, { env: workspace.env });
    for (const sandbox of wired.sandboxes) options.log('info', 'trigger actions go to a sandbox', { sink: sandbox.sinkId, url: sandbox.url });
    const bound = await bindActionSinks({ triggers: runtime.triggers, sinks: wired.sinks, state: workspace.state, profiles: runtime.profiles, now: workspace.now, ...retry });
    close = bound.close;
    const wiring = { bindings: bound.bindings, ...retry };
    let inFlight: Promise<DrainResult> | undefined;
    const step = () => (inFlight ??= (async () => {
      try {
        await options.queue.run(async () => {
          await runtime.feed();
          await runtime.tick();
        });
        await flushAudit(false);
        const drained = await runtime.deliver(wiring);
        for (const [sink, reason] of Object.entries(drained.stopped)) options.log('warn', 'trigger delivery stopped; actions stay owed', { sink, reason });
        return drained;
      } finally {
        inFlight = undefined;
      }
    })());
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const loop = async () => {
      try {
        await step();
      } catch (error) {
        options.log('warn', 'trigger step failed; retrying on the next tick', { error: (error as Error).message });
      }
      if (!stopped) timer = setTimeout(() => void loop(), options.tickMs);
    };
    if (options.timers) timer = setTimeout(() => void loop(), options.tickMs);
    const sinks = wired;
    return {
      runtime,
      step,
      async stop() {
        stopped = true;
        clearTimeout(timer);
        controller.abort();
        await inFlight?.catch(() => undefined);
        await flushAudit(true).catch((error: unknown) => options.log('warn', 'audit entry for fired triggers failed', { error: (error as Error).message }));
        await bound.close();
        await sinks.close();
      },
    };
  } catch (error) {
    controller.abort();
    await close?.();
    await wired?.close();
    throw error;
  }
}
