import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ActionOutbox, ActionSettlement } from '../../core/store/state/action-outbox.js';
import type { OutgoingAction } from '../../core/triggers/engine-records.js';
import type { EngineBatchResult } from '../../core/triggers/trigger-engine.js';

/**
 * The triggers' series on the server's registry: events fed, actions fired
 * and held (by trigger and reason), delivery outcomes (by sink), the lag
 * from a timer's due time to its firing, and what the outbox still owes.
 * Labels are trigger, sink and reason names from the mapping only.
 */
export interface TriggerMetrics {
  batch(result: EngineBatchResult, events: number): void;
  settled(action: OutgoingAction, settlement: ActionSettlement): void;
}

export function registerTriggerMetrics(registry: Registry, outbox: ActionOutbox): TriggerMetrics {
  const registers = [registry];
  const fed = new Counter({ name: 'segflow_trigger_events_total', help: 'Stored events fed to the trigger engine.', registers });
  const fired = new Counter({ name: 'segflow_trigger_actions_fired_total', help: 'Actions the triggers fired into the outbox, by trigger.', labelNames: ['trigger'] as const, registers });
  const held = new Counter({ name: 'segflow_trigger_held_total', help: 'Actions not taken (and events too late to apply), by trigger and reason.', labelNames: ['trigger', 'reason'] as const, registers });
  const settled = new Counter({ name: 'segflow_actions_settled_total', help: 'Delivery outcomes, by sink and outcome (delivered, skipped, dead, retry).', labelNames: ['sink', 'outcome'] as const, registers });
  const lag = new Histogram({
    name: 'segflow_trigger_timer_lag_seconds', help: 'Delay from a timer\'s due time to its firing (the trigger\'s allowed lateness included).', registers,
    buckets: [0.1, 0.5, 1, 2, 5, 15, 60, 300, 3600],
  });
  new Gauge({
    name: 'segflow_actions_owed', help: 'Actions in the outbox not yet delivered (including ones held back after a retryable failure), by sink.', labelNames: ['sink'] as const, registers,
    async collect() {
      this.reset();
      const owed = new Map<string, number>();
      for (const row of await outbox.counts()) if (row.outcome === 'owed') owed.set(row.sink, (owed.get(row.sink) ?? 0) + row.count);
      for (const [sink, count] of owed) this.set({ sink }, count);
    },
  });
  new Gauge({
    name: 'segflow_action_dead_letters', help: 'Actions a vendor refused for good (see segflow dlq), by sink.', labelNames: ['sink'] as const, registers,
    async collect() {
      this.reset();
      for (const row of await outbox.counts()) if (row.outcome === 'dead') this.inc({ sink: row.sink }, row.count);
    },
  });
  return {
    batch(result, events) {
      if (events > 0) fed.inc(events);
      for (const action of result.actions) {
        fired.inc({ trigger: action.triggerId });
        if (action.dueAt !== undefined) lag.observe(Math.max(0, action.firedAt - action.dueAt) / 1000);
      }
      for (const hold of result.held) held.inc({ trigger: hold.triggerId, reason: hold.reason });
    },
    settled: (action, settlement) => settled.inc({ sink: action.sink, outcome: settlement.outcome }),
  };
}
