import type { HeldAction, OutgoingAction, ProfileTriggerState, TimerRef, TriggerTimer } from './engine-records.js';
import type { TriggerProfile } from './guards/guard-types.js';
import { routingOf, rulesForEvent, type EventRouting } from './event-routing.js';
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
  setTimers: readonly TriggerTimer[];
  cancelTimers: readonly TimerRef[];
  /** This profile's actions, or, when `into` was passed, that batch-wide list with them appended. */
  actions: OutgoingAction[];
  /** Likewise for holds. */
  held: HeldAction[];
  duplicates: number;
  timersFired: number;
}

/** Batch-wide lists a profile's actions and holds are appended to: no per-profile arrays to copy over. */
export interface OutcomeLists {
  actions: OutgoingAction[];
  held: HeldAction[];
}

const SEP = '\u001f';
const NO_TIMERS: readonly never[] = Object.freeze([]);

export function processProfile(triggers: CompiledTriggers, work: ProfileWork, into?: OutcomeLists): ProfileOutcome {
  return new ProfileRun(triggers, work, into?.actions ?? [], into?.held ?? []).run();
}

/**
 * One profile's batch. A class, not closures: this runs once per profile per
 * batch (100k+ times a second), and closures per call cost more than the
 * triggers. It owns copies of the loaded state and writes those in place;
 * the loaded objects are never mutated.
 */
class ProfileRun {
  /**
   * The profile's pending timers, copied from the loaded list on the first
   * change (most inputs set, cancel and fire nothing). A plain array searched
   * by (triggerId, timerId): a profile has a handful of timers, and the keyed
   * Map this replaced (key strings built per timer) was ~3% of the bench.
   */
  private timers: TriggerTimer[] | undefined;
  /** Timers set, cancelled or fired, in first-touch order: what the commit writes. Undefined until the first. */
  private touched: Array<{ triggerId: string; timerId: string }> | undefined;
  /** Written on the first step that changes a kind's state (copy on write). */
  private kinds: ProfileTriggerState['kinds'] | undefined;
  private readonly seen: SeenSet;
  private guards: ProfileTriggerState['guards'];
  private readonly routing: EventRouting;
  private duplicates = 0;
  private timersFired = 0;
  /** A lower bound of the earliest fireAt, so most inputs skip the scan of the profile's timers. */
  private earliest = Number.POSITIVE_INFINITY;

  constructor(
    private readonly triggers: CompiledTriggers,
    private readonly work: ProfileWork,
    private readonly actions: OutgoingAction[],
    private readonly held: HeldAction[],
  ) {
    const timers = work.timers;
    for (let index = 0; index < timers.length; index++) {
      const fireAt = (timers[index] as TriggerTimer).fireAt;
      if (fireAt < this.earliest) this.earliest = fireAt;
    }
    this.seen = new SeenSet(work.state.seen);
    this.guards = work.state.guards;
    this.routing = routingOf(triggers);
  }

  run(): ProfileOutcome {
    const inputs = this.work.inputs;
    for (let index = 0; index < inputs.length; index++) {
      const input = inputs[index] as ProfileInput;
      this.fireDue(input.clock);
      this.apply(input);
    }
    this.fireDue(this.work.finalClock);
    let setTimers: readonly TriggerTimer[] = NO_TIMERS;
    let cancelTimers: readonly TimerRef[] = NO_TIMERS;
    if (this.touched !== undefined) {
      const set: TriggerTimer[] = [];
      const cancel: TimerRef[] = [];
      for (const { triggerId, timerId } of this.touched) {
        // Touched only after timers was copied, so it exists here.
        const timer = findTimer(this.timers ?? NO_TIMERS, triggerId, timerId);
        if (timer >= 0) set.push((this.timers as TriggerTimer[])[timer] as TriggerTimer);
        else cancel.push({ profileId: this.work.profileId, triggerId, timerId });
      }
      setTimers = set;
      cancelTimers = cancel;
    }
    const horizon = this.work.finalClock - this.routing.largestLatenessMs - this.work.replayWindowMs;
    return {
      state: { kinds: this.kinds ?? this.work.state.kinds, guards: this.guards, seen: this.seen.result(horizon) },
      setTimers,
      cancelTimers,
      actions: this.actions,
      held: this.held,
      duplicates: this.duplicates,
      timersFired: this.timersFired,
    };
  }

  private apply(input: ProfileInput): void {
    if (input.type === 'segment') {
      const id = `segment${SEP}${input.change.changeId}`;
      if (this.seen.has(id)) {
        this.duplicates++;
        return;
      }
      this.seen.add(id, input.change.at);
      const segmentInput: TriggerInput = { type: 'segment', change: input.change };
      for (const definition of this.routing.segmentRules) this.step(definition, segmentInput, input.clock);
      return;
    }
    const event = input.event;
    if (this.seen.has(event.messageId)) {
      this.duplicates++;
      return;
    }
    this.seen.add(event.messageId, event.timestamp);
    // Only the rules whose matchers name the event (event-routing.ts), in rule order.
    const rules = rulesForEvent(this.routing, event.event);
    let eventInput: TriggerInput | undefined;
    for (let index = 0; index < rules.length; index++) {
      const definition = rules[index] as TriggerDefinition;
      if (!eventConcernsTrigger(definition, event)) continue;
      const watermark = input.clock - definition.latenessMs;
      if (event.timestamp < watermark) {
        this.held.push({ reason: 'too_late', triggerId: definition.id, profileId: this.work.profileId, at: event.timestamp, messageId: event.messageId, watermark });
        continue;
      }
      eventInput ??= { type: 'event', event };
      this.step(definition, eventInput, input.clock);
    }
  }

  /** Fires, in due order, every timer the clock lets fire, including ones those firings set. */
  private fireDue(clock: number): void {
    for (;;) {
      if (this.earliest > clock) return;
      let next: TriggerTimer | undefined;
      let earliest = Number.POSITIVE_INFINITY;
      const timers = this.timers ?? this.work.timers;
      for (let index = 0; index < timers.length; index++) {
        const timer = timers[index] as TriggerTimer;
        if (timer.fireAt < earliest) earliest = timer.fireAt;
        if (timer.fireAt <= clock && (next === undefined || timer.fireAt < next.fireAt || (timer.fireAt === next.fireAt && timer.timerId < next.timerId))) next = timer;
      }
      this.earliest = earliest;
      if (next === undefined) return;
      this.removeTimer(next.triggerId, next.timerId);
      const definition = this.routing.byId.get(next.triggerId);
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
    const previous = this.kinds === undefined ? this.work.state.kinds[definition.id] : this.kinds[definition.id];
    const step = stepTrigger(definition, previous, input, { watermark: clock - definition.latenessMs });
    if (step.state !== previous) {
      this.kinds ??= Object.assign({}, this.work.state.kinds);
      this.kinds[definition.id] = step.state;
    }
    for (const id of step.cancelTimers) this.removeTimer(definition.id, id);
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
    const timers = this.ownTimers();
    const index = findTimer(timers, timer.triggerId, timer.timerId);
    if (index >= 0) timers[index] = timer;
    else timers.push(timer);
    this.touch(timer.triggerId, timer.timerId);
  }

  /** Cancels or consumes a pending timer; one that is not there changes nothing. */
  private removeTimer(triggerId: string, timerId: string): void {
    const index = findTimer(this.timers ?? this.work.timers, triggerId, timerId);
    if (index < 0) return;
    this.ownTimers().splice(index, 1);
    this.touch(triggerId, timerId);
  }

  private touch(triggerId: string, timerId: string): void {
    const touched = (this.touched ??= []);
    for (const key of touched) if (key.triggerId === triggerId && key.timerId === timerId) return;
    touched.push({ triggerId, timerId });
  }

  private ownTimers(): TriggerTimer[] {
    return (this.timers ??= this.work.timers.slice());
  }
}

/** Index of the timer (triggerId, timerId) in a profile's small list, -1 when absent. */
function findTimer(timers: readonly TriggerTimer[], triggerId: string, timerId: string): number {
  for (let index = 0; index < timers.length; index++) {
    const timer = timers[index] as TriggerTimer;
    if (timer.timerId === timerId && timer.triggerId === triggerId) return index;
  }
  return -1;
}
