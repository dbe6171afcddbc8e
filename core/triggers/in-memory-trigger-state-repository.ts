import type { HeldAction, OutgoingAction, ProfileTriggerState, TriggerTimer } from './engine-records.js';
import type { HoldReason } from './guards/guard-types.js';
import { TimerHeap } from './timer-heap.js';
import type { CommitResult, EngineClock, StoredProfile, TriggerCommit, TriggerStateRepository } from './trigger-state-repository.js';

/**
 * The reference TriggerStateRepository: what the SQL one must behave like,
 * for tests, benchmarks and dry runs. Commits apply whole or not at all
 * (they cannot fail half-way in memory). The engine never mutates what it
 * loaded (every step returns new objects), so values are shared, not copied:
 * a structured clone per profile would cost more than the triggers. Tests
 * pass `clone: true` to prove that stays so.
 */
export class InMemoryTriggerStateRepository implements TriggerStateRepository {
  private clock: EngineClock | undefined;
  /** State and timers of a profile in one entry: a batch looks each profile up once to load and once to commit. */
  private readonly profiles = new Map<string, StoredRecord>();
  /**
   * Every timer ever set, by fireAt. Removal is lazy: an entry is live while
   * its timer object is still in its profile's list (cancelled, replaced or
   * fired ones are dropped when they reach the top). This replaced a global
   * Set of live timers, which cost a hash insert and delete per timer change.
   */
  private readonly heap = new TimerHeap();
  private readonly outboxIds = new Set<string>();
  /** Every action committed, in commit order: the outbox a delivery worker would drain. */
  readonly outbox: OutgoingAction[] = [];
  readonly heldByReason = new Map<HoldReason, number>();
  readonly held: HeldAction[] = [];
  commits = 0;

  constructor(private readonly options: { keepHeld?: boolean; clone?: boolean } = {}) {}

  private copy<T>(value: T): T {
    return this.options.clone === true ? structuredClone(value) : value;
  }

  loadClock(): Promise<EngineClock | undefined> {
    return Promise.resolve(this.clock === undefined ? undefined : { ...this.clock });
  }

  loadProfiles(profileIds: readonly string[]): Promise<Map<string, StoredProfile>> {
    const found = new Map<string, StoredProfile>();
    for (let index = 0; index < profileIds.length; index++) {
      const profileId = profileIds[index] as string;
      const record = this.profiles.get(profileId);
      if (record === undefined) continue;
      // The stored list is handed out as is: the engine copies before it changes one (and the next commit replaces it).
      found.set(profileId, { state: this.copy(record.state), timers: this.options.clone === true ? record.timers.map((timer) => this.copy(timer)) : record.timers });
    }
    return Promise.resolve(found);
  }

  dueProfiles(clock: number, limit: number): Promise<string[]> {
    const due: string[] = [];
    const seen = new Set<string>();
    const skipped = [];
    // Pop stale entries for good; keep live ones (they leave the heap when their timer is cancelled or fired).
    while (due.length < limit) {
      const top = this.heap.peek();
      if (top === undefined || top.fireAt > clock) break;
      this.heap.pop();
      const profileId = top.profileId;
      if (this.profiles.get(profileId)?.timers.includes(top.timer) !== true) continue;
      skipped.push(top);
      if (!seen.has(profileId)) {
        seen.add(profileId);
        due.push(profileId);
      }
    }
    for (const entry of skipped) this.heap.push(entry);
    return Promise.resolve(due);
  }

  commit(batch: TriggerCommit): Promise<CommitResult> {
    this.commits++;
    this.clock = { ...batch.clock };
    for (const profile of batch.profiles) {
      let record = this.profiles.get(profile.profileId);
      if (record === undefined) {
        record = { state: this.copy(profile.state), timers: NO_TIMERS };
        this.profiles.set(profile.profileId, record);
      } else record.state = this.copy(profile.state);
      if (profile.cancelTimers.length === 0 && profile.setTimers.length === 0) continue;
      // A new list, not an edit: the engine may still hold the loaded one.
      const timers = record.timers.slice();
      for (const ref of profile.cancelTimers) {
        const index = indexOfTimer(timers, ref.triggerId, ref.timerId);
        if (index >= 0) timers.splice(index, 1);
      }
      for (const timer of profile.setTimers) {
        const stored = this.copy(timer);
        const index = indexOfTimer(timers, timer.triggerId, timer.timerId);
        if (index >= 0) timers[index] = stored;
        else timers.push(stored);
        this.heap.push({ fireAt: stored.fireAt, profileId: profile.profileId, timer: stored });
      }
      record.timers = timers.length === 0 ? NO_TIMERS : timers;
    }
    const duplicateActionIds: string[] = [];
    for (const action of batch.outbox) {
      if (this.outboxIds.has(action.id)) {
        duplicateActionIds.push(action.id);
        continue;
      }
      this.outboxIds.add(action.id);
      this.outbox.push(this.copy(action));
    }
    for (const hold of batch.held) {
      this.heldByReason.set(hold.reason, (this.heldByReason.get(hold.reason) ?? 0) + 1);
      if (this.options.keepHeld === true) this.held.push(hold);
    }
    return Promise.resolve({ duplicateActionIds });
  }

  /** Pending timers of every profile (for tests: what a restart would find). */
  pendingTimers(): TriggerTimer[] {
    return [...this.profiles.values()].flatMap((record) => record.timers);
  }
}

const NO_TIMERS: readonly TriggerTimer[] = Object.freeze([]);

interface StoredRecord {
  state: ProfileTriggerState;
  /**
   * Pending timers in the order they were first set (a replaced one keeps
   * its place), as a Map keyed by `triggerId␟timerId` kept them: a handful
   * per profile, so a scan beats building the key strings. Never edited in
   * place: a commit stores a new list.
   */
  timers: readonly TriggerTimer[];
}

function indexOfTimer(timers: readonly TriggerTimer[], triggerId: string, timerId: string): number {
  for (let index = 0; index < timers.length; index++) {
    const timer = timers[index] as TriggerTimer;
    if (timer.timerId === timerId && timer.triggerId === triggerId) return index;
  }
  return -1;
}
