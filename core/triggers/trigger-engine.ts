import type { HeldAction, OutgoingAction } from './engine-records.js';
import { emptyProfileState } from './engine-records.js';
import type { TriggerProfile } from './guards/guard-types.js';
import { processProfile, type OutcomeLists, type ProfileInput } from './process-profile.js';
import type { EngineClock, TriggerCommit, TriggerStateRepository } from './trigger-state-repository.js';
import type { CompiledTriggers, ProfileEvent, SegmentChange } from './trigger-types.js';

/** Consent, suppression, time zone and traits per profile, looked up at send time (one call per batch). */
export interface TriggerProfileLookup {
  lookup(profileIds: readonly string[]): Promise<Map<string, TriggerProfile>>;
}

export interface TriggerEngineOptions {
  triggers: CompiledTriggers;
  repository: TriggerStateRepository;
  profiles: TriggerProfileLookup;
  /** Wall clock (ms). Injected: tests and dry runs drive it. */
  now: () => number;
  /**
   * Event times further ahead of the wall clock than this do not move the
   * event clock (they are still applied): one device with a wrong clock must
   * not make everyone else's events "too late".
   * @default 60_000
   */
  futureToleranceMs?: number;
  /** How long past the largest lateness a messageId is remembered to drop replays. @default 86_400_000 (Segment dedupes ~24 h) */
  replayWindowMs?: number;
  /** Most profiles with due timers loaded per commit. @default 5_000 */
  dueBatchSize?: number;
}

export interface EngineBatchResult {
  actions: OutgoingAction[];
  held: HeldAction[];
  /** Inputs already applied before (same messageId / changeId): not applied again. */
  duplicates: number;
  timersFired: number;
  /** Actions the outbox already had (a batch processed again after a crash). */
  duplicateActions: number;
  /** The event clock after the batch. */
  clock: number;
}

/**
 * The trigger engine: the pure kinds and guards (process-profile.ts) with the
 * I/O around them. Time is EVENT time: the engine clock is the newest event
 * time seen (or a wall-clock time it was advanced to by `advanceTo`, which
 * `segflow serve` calls on a tick so quiet streams still fire). A trigger
 * with allowed lateness L sees the watermark clock − L: older events are
 * too_late for it, and its timers fire only once the watermark passes their
 * due time, so an event inside the lateness can still cancel them.
 * One batch is one repository commit (state + timers + outbox together).
 */
export class TriggerEngine {
  private clock: number | undefined;

  constructor(private readonly options: TriggerEngineOptions) {}

  /** Applies a batch of events (in arrival order), fires what came due, and commits. */
  async processEvents(events: readonly ProfileEvent[], segmentChanges: readonly SegmentChange[] = []): Promise<EngineBatchResult> {
    let clock = await this.currentClock();
    const ceiling = this.options.now() + (this.options.futureToleranceMs ?? 60_000);
    const inputs = new PendingProfiles();
    for (let index = 0; index < events.length; index++) {
      const { profileId, event } = events[index] as ProfileEvent;
      clock = Math.max(clock, Math.min(event.timestamp, ceiling));
      inputs.add(profileId, { type: 'event', event, clock });
    }
    // Segment changes are not on the event stream: they do not move the clock.
    for (const change of segmentChanges) inputs.add(change.profileId, { type: 'segment', change, clock });
    return this.run(inputs, clock);
  }

  /** Moves the event clock to at least `time` (a wall-clock tick) and fires every timer that lets fire. */
  async advanceTo(time: number): Promise<EngineBatchResult> {
    const clock = Math.max(await this.currentClock(), time);
    return this.run(new PendingProfiles(), clock);
  }

  private async currentClock(): Promise<number> {
    if (this.clock === undefined) this.clock = (await this.options.repository.loadClock())?.eventTime ?? Number.NEGATIVE_INFINITY;
    return this.clock;
  }

  private async run(inputs: PendingProfiles, clock: number): Promise<EngineBatchResult> {
    const total: EngineBatchResult = { actions: [], held: [], duplicates: 0, timersFired: 0, duplicateActions: 0, clock };
    let pending = inputs;
    // The first pass carries the batch's inputs; later passes only profiles whose timers came due.
    for (let pass = 0; ; pass++) {
      const due = await this.options.repository.dueProfiles(clock, this.options.dueBatchSize ?? 5_000);
      for (const profileId of due) pending.include(profileId);
      if (pending.ids.length === 0 && pass > 0) break;
      await this.commitPass(pending, clock, total);
      if (due.length === 0) break;
      pending = new PendingProfiles();
    }
    this.clock = clock;
    return total;
  }

  private async commitPass(inputs: PendingProfiles, clock: number, total: EngineBatchResult): Promise<void> {
    const { repository, triggers } = this.options;
    const profileIds = inputs.ids;
    const [stored, lookedUp] = await Promise.all([repository.loadProfiles(profileIds), this.options.profiles.lookup(profileIds)]);
    const firedAt = this.options.now();
    const replayWindowMs = this.options.replayWindowMs ?? 86_400_000;
    const profiles: TriggerCommit['profiles'][number][] = new Array(profileIds.length);
    // One pair of lists for the whole pass: the profiles append to it (no per-profile arrays to copy over).
    const lists: OutcomeLists = { actions: [], held: [] };
    for (let index = 0; index < profileIds.length; index++) {
      const profileId = profileIds[index] as string;
      const existing = stored.get(profileId);
      const outcome = processProfile(
        triggers,
        {
          profileId,
          state: existing?.state ?? emptyProfileState(),
          timers: existing?.timers ?? NO_TIMERS,
          inputs: inputs.lists[index] as ProfileInput[],
          finalClock: clock,
          profile: lookedUp.get(profileId),
          firedAt,
          replayWindowMs,
        },
        lists,
      );
      profiles[index] = { profileId, state: outcome.state, setTimers: outcome.setTimers, cancelTimers: outcome.cancelTimers };
      total.duplicates += outcome.duplicates;
      total.timersFired += outcome.timersFired;
    }
    const { actions, held } = lists;
    const committedClock: EngineClock = { eventTime: clock };
    const result = await repository.commit({ clock: committedClock, profiles, outbox: actions, held });
    const duplicates = new Set(result.duplicateActionIds);
    total.duplicateActions += duplicates.size;
    for (const action of actions) if (!duplicates.has(action.id)) total.actions.push(action);
    for (const hold of held) total.held.push(hold);
  }
}

const NO_TIMERS: readonly never[] = Object.freeze([]);

/** A pass's profiles in first-seen order, each with its inputs in arrival order. */
class PendingProfiles {
  readonly ids: string[] = [];
  readonly lists: ProfileInput[][] = [];
  private readonly byId = new Map<string, ProfileInput[]>();

  add(profileId: string, input: ProfileInput): void {
    const list = this.byId.get(profileId);
    if (list !== undefined) {
      list.push(input);
      return;
    }
    const created = [input];
    this.byId.set(profileId, created);
    this.ids.push(profileId);
    this.lists.push(created);
  }

  /** Takes a profile in (with no inputs) if it is not in already: its timers came due. */
  include(profileId: string): void {
    if (this.byId.has(profileId)) return;
    const created: ProfileInput[] = [];
    this.byId.set(profileId, created);
    this.ids.push(profileId);
    this.lists.push(created);
  }
}
