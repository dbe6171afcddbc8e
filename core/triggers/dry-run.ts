import type { HeldAction, OutgoingAction } from './engine-records.js';
import type { HoldReason } from './guards/guard-types.js';
import { InMemoryTriggerStateRepository } from './in-memory-trigger-state-repository.js';
import { TriggerEngine, type EngineBatchResult, type TriggerProfileLookup } from './trigger-engine.js';
import type { CompiledTriggers, ProfileEvent, SegmentChange } from './trigger-types.js';

/**
 * `segflow triggers test`: the same engine over stored history, with a
 * throwaway in-memory state and an outbox nobody delivers, so nothing is
 * sent and the live state is not touched. Because every decision is made on
 * the event clock, the counts equal what a live run over the same history
 * (in the same batches) would have done.
 */
export interface DryRunInput {
  triggers: CompiledTriggers;
  profiles: TriggerProfileLookup;
  /** Stored history in arrival order, in batches (as the live engine received it, or any split). */
  history: AsyncIterable<readonly ProfileEvent[]> | Iterable<readonly ProfileEvent[]>;
  segmentChanges?: readonly SegmentChange[];
  /** Advance the event clock to this time at the end, so waits the history left open are decided. Default: the last event's time. */
  until?: number;
  now: () => number;
  /** @default 5 */
  examplesPerReason?: number;
}

export interface DryRunReport {
  /** Actions that would have been sent. */
  would_fire: number;
  /** Actions not taken (and, for too_late, events not applied), by reason. */
  held_by: Partial<Record<HoldReason, number>>;
  /** Per trigger: would_fire and held_by. */
  by_trigger: Record<string, { would_fire: number; held_by: Partial<Record<HoldReason, number>> }>;
  examples: { fired: OutgoingAction[]; held: Partial<Record<HoldReason, HeldAction[]>> };
}

export async function dryRunTriggers(input: DryRunInput): Promise<DryRunReport> {
  const engine = new TriggerEngine({ triggers: input.triggers, repository: new InMemoryTriggerStateRepository(), profiles: input.profiles, now: input.now });
  const report = emptyReport(input.triggers);
  const limit = input.examplesPerReason ?? 5;
  let changesSent = false;
  for await (const batch of input.history) {
    const changes = changesSent ? [] : (input.segmentChanges ?? []);
    changesSent = true;
    tally(report, await engine.processEvents(batch, changes), limit);
  }
  if (!changesSent && input.segmentChanges !== undefined) tally(report, await engine.processEvents([], input.segmentChanges), limit);
  if (input.until !== undefined) tally(report, await engine.advanceTo(input.until), limit);
  return report;
}

function emptyReport(triggers: CompiledTriggers): DryRunReport {
  const byTrigger: DryRunReport['by_trigger'] = {};
  for (const rule of triggers.rules) byTrigger[rule.id] = { would_fire: 0, held_by: {} };
  return { would_fire: 0, held_by: {}, by_trigger: byTrigger, examples: { fired: [], held: {} } };
}

/** Folds one engine batch into a report; also what a live caller uses to count the same way. */
export function tally(report: DryRunReport, result: EngineBatchResult, examplesPerReason = 5): DryRunReport {
  for (const action of result.actions) {
    report.would_fire++;
    const trigger = (report.by_trigger[action.triggerId] ??= { would_fire: 0, held_by: {} });
    trigger.would_fire++;
    if (report.examples.fired.length < examplesPerReason) report.examples.fired.push(action);
  }
  for (const hold of result.held) {
    report.held_by[hold.reason] = (report.held_by[hold.reason] ?? 0) + 1;
    const trigger = (report.by_trigger[hold.triggerId] ??= { would_fire: 0, held_by: {} });
    trigger.held_by[hold.reason] = (trigger.held_by[hold.reason] ?? 0) + 1;
    const examples = (report.examples.held[hold.reason] ??= []);
    if (examples.length < examplesPerReason) examples.push(hold);
  }
  return report;
}

export function emptyDryRunReport(triggers: CompiledTriggers): DryRunReport {
  return emptyReport(triggers);
}
