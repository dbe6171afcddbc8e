import type { HeldAction, OutgoingAction, ProfileTriggerState, TimerRef, TriggerTimer } from './engine-records.js';
import type { TriggerProfile } from './guards/guard-types.js';
import { DEFER_PREFIX, handleFiring, type FiringContext } from './handle-firing.js';
import { eventConcernsTrigger, stepTrigger } from './kinds/step-trigger.js';
import { SeenSet } from './seen-inputs.js';
import type { CompiledTriggers, Firing, SegmentChange, TriggerDefinition, TriggerEvent, TriggerInput } from './trigger-types.js';

/**
 * Everything that happens to one profile in one batch, as a pure function:
 * its inputs in arrival order, each with the event clock as it stood when
 * the input arrived. Before each input, the timers that clock lets fire do
 * fire (in due order), so "a wait ended, then a new one began" is kept even
 * when both land in one batch. After the last input, the batch's final clock
 * fires the rest.
 */
export type ProfileInput =
  | { type: 'event'; event: TriggerEvent; clock: number }
  | { type: 'segment'; change: SegmentChange; clock: number };

export interface ProfileWork {
  profileId: string;
  state: ProfileTriggerState;
  timers: readonly TriggerTimer[];
  inputs: readonly ProfileInput[];
  finalClock: number;
  profile: TriggerProfile | undefined;
  /** Wall clock, recorded on actions only. */
  firedAt: number;
  /** How long a messageId is remembered past the largest lateness, to drop replays. */
  replayWindowMs: number;
}

export interface ProfileOutcome {
  state: ProfileTriggerState;
  setTimers: TriggerTimer[];
  cancelTimers: TimerRef[];
  actions: OutgoingAction[];
  held: HeldAction[];
  duplicates: number;
  timersFired: number;
}

const SEP = '\u001f';

export function processProfile(triggers: CompiledTriggers, work: ProfileWork): ProfileOutcome {
  return new ProfileRun(triggers, work).run();
}

/**
 * One profile's batch. A class, not closures: this runs once per profile per
 * batch (100k+ times a second), and closures per call cost more than the
 * triggers. It owns copies of the loaded state and writes those in place;
 * the loaded objects are never mutated.
 */
class ProfileRun {
  /**
   * The profile's timers by trigger and timer id, built on the first change:
   * most inputs set, cancel and fire nothing, and building the keyed map for
   * every profile of every batch cost more than the triggers. Until then the
   * loaded list is the pending set.
   */
  private timers: Map<string, TriggerTimer> | undefined;
  private readonly touched = new Set<string>();
  private readonly kinds: ProfileTriggerState['kinds'];
  private readonly seen: SeenSet;
  private guards: ProfileTriggerState['guards'];
  private readonly actions: OutgoingAction[] = [];
  private readonly held: HeldAction[] = [];
  private duplicates = 0;
  private timersFired = 0;
  /** A lower bound of the earliest fireAt, so most inputs skip the scan of the profile's timers. */
  private earliest = Number.POSITIVE_INFINITY;

  constructor(
    private readonly triggers: CompiledTriggers,
    private readonly work: ProfileWork,
  ) {
    for (const timer of work.timers) if (timer.fireAt < this.earliest) this.earliest = timer.fireAt;
    this.kinds = Object.assign({}, work.state.kinds);
    this.seen = new SeenSet(work.state.seen);
    this.guards = work.state.guards;
  }

  run(): ProfileOutcome {
    for (const input of this.work.inputs) {
      this.fireDue(input.clock);
      this.apply(input);
    }
    this.fireDue(this.work.finalClock);
    const setTimers: TriggerTimer[] = [];
    const cancelTimers: TimerRef[] = [];
    for (const key of this.touched) {
      // Keys are touched only through keyedTimers(), so the map exists here.
      const timer = this.timers?.get(key);
      if (timer !== undefined) setTimers.push(timer);
      else {
        const [triggerId, timerId] = key.split(SEP) as [string, string];
        cancelTimers.push({ profileId: this.work.profileId, triggerId, timerId });
      }
    }
    const horizon = this.work.finalClock - maxLateness(this.triggers) - this.work.replayWindowMs;
    return {
      state: { kinds: this.kinds, guards: this.guards, seen: this.seen.result(horizon) },
      setTimers,
      cancelTimers,
      actions: this.actions,
      held: this.held,
      duplicates: this.duplicates,
      timersFired: this.timersFired,
    };
  }

  private apply(input: ProfileInput): void {
    const id = input.type === 'event' ? input.event.messageId : `segment${SEP}${input.change.changeId}`;
    if (this.seen.has(id)) {
      this.duplicates++;
      return;
    }
    this.seen.add(id, input.type === 'event' ? input.event.timestamp : input.change.at);
    for (const definition of this.triggers.rules) {
      if (input.type === 'segment') {
        if (definition.kind === 'segment') this.step(definition, { type: 'segment', change: input.change }, input.clock);
        continue;
      }
      if (!eventConcernsTrigger(definition, input.event)) continue;
      const watermark = input.clock - definition.latenessMs;
      if (input.event.timestamp < watermark) {
        this.held.push({ reason: 'too_late', triggerId: definition.id, profileId: this.work.profileId, at: input.event.timestamp, messageId: input.event.messageId, watermark });
        continue;
      }
      this.step(definition, { type: 'event', event: input.event }, input.clock);
    }
  }

  /** Fires, in due order, every timer the clock lets fire, including ones those firings set. */
  private fireDue(clock: number): void {
    for (;;) {
      if (this.earliest > clock) return;
      let next: TriggerTimer | undefined;
      let earliest = Number.POSITIVE_INFINITY;
      for (const timer of this.timers === undefined ? this.work.timers : this.timers.values()) {
        if (timer.fireAt < earliest) earliest = timer.fireAt;
        if (timer.fireAt <= clock && (next === undefined || timer.fireAt < next.fireAt || (timer.fireAt === next.fireAt && timer.timerId < next.timerId))) next = timer;
      }
      this.earliest = earliest;
      if (next === undefined) return;
      const key = next.triggerId + SEP + next.timerId;
      this.keyedTimers().delete(key);
      this.touched.add(key);
      const definition = this.triggers.rules.find((rule) => rule.id === next.triggerId);
      if (definition === undefined) continue; // the rule was removed from the mapping: its timers die quietly
      this.timersFired++;
      if (next.timerId.startsWith(DEFER_PREFIX)) {
        if (next.deferred !== undefined) this.judge(definition, next.deferred.firing, next.dueAt);
        continue;
      }
      // The kind sees the clock as it stood at the due time, so state it still needs is not pruned away.
      this.step(definition, { type: 'timer', timerId: next.timerId, dueAt: next.dueAt }, Math.min(clock, next.fireAt));
    }
  }

  private step(definition: TriggerDefinition, input: TriggerInput, clock: number): void {
    const step = stepTrigger(definition, this.kinds[definition.id], input, { watermark: clock - definition.latenessMs });
    this.kinds[definition.id] = step.state;
    for (const id of step.cancelTimers) {
      const key = definition.id + SEP + id;
      if (this.keyedTimers().delete(key)) this.touched.add(key);
    }
    for (const request of step.setTimers) {
      this.putTimer({ profileId: this.work.profileId, triggerId: definition.id, timerId: request.id, dueAt: request.dueAt, fireAt: request.dueAt + definition.latenessMs });
    }
    for (const firing of step.firings) this.judge(definition, firing, undefined);
  }

  private judge(definition: TriggerDefinition, firing: Firing, deferredUntil: number | undefined): void {
    const context: FiringContext = { definition, profileId: this.work.profileId, profile: this.work.profile, settings: this.triggers.guards, firedAt: this.work.firedAt };
    const outcome = handleFiring(context, this.guards, firing, deferredUntil);
    this.guards = outcome.guards;
    for (const action of outcome.actions) this.actions.push(action);
    for (const hold of outcome.held) this.held.push(hold);
    if (outcome.defer !== undefined) this.putTimer(outcome.defer);
  }

  private putTimer(timer: TriggerTimer): void {
    if (timer.fireAt < this.earliest) this.earliest = timer.fireAt;
    const key = timer.triggerId + SEP + timer.timerId;
    this.keyedTimers().set(key, timer);
    this.touched.add(key);
  }

  private keyedTimers(): Map<string, TriggerTimer> {
    if (this.timers === undefined) {
      this.timers = new Map();
      for (const timer of this.work.timers) this.timers.set(timer.triggerId + SEP + timer.timerId, timer);
    }
    return this.timers;
  }
}

/** Per rule set, computed once: every profile of every batch asks. */
const LARGEST_LATENESS = new WeakMap<CompiledTriggers, number>();

function maxLateness(triggers: CompiledTriggers): number {
  let largest = LARGEST_LATENESS.get(triggers);
  if (largest === undefined) {
    largest = triggers.rules.reduce((result, rule) => Math.max(result, rule.latenessMs), 0);
    LARGEST_LATENESS.set(triggers, largest);
  }
  return largest;
}
