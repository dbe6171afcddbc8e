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
  private readonly heap = new TimerHeap();
  /** The stored timer objects still pending: a heap entry whose timer is not here was cancelled, replaced or fired. */
  private readonly liveTimers = new Set<TriggerTimer>();
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
    for (const profileId of profileIds) {
      const record = this.profiles.get(profileId);
      if (record === undefined) continue;
      const loaded = record.timers === undefined ? [] : Array.from(record.timers.values());
      found.set(profileId, { state: this.copy(record.state), timers: this.options.clone === true ? loaded.map((timer) => this.copy(timer)) : loaded });
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
      if (!this.liveTimers.has(top.timer)) continue;
      const profileId = top.profileId;
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
        record = { state: this.copy(profile.state), timers: undefined };
        this.profiles.set(profile.profileId, record);
      } else record.state = this.copy(profile.state);
      let timers = record.timers;
      if (timers !== undefined) {
        for (const ref of profile.cancelTimers) {
          const key = timerKey(ref.triggerId, ref.timerId);
          const cancelled = timers.get(key);
          if (cancelled === undefined) continue;
          this.liveTimers.delete(cancelled);
          timers.delete(key);
        }
      }
      if (profile.setTimers.length > 0 && timers === undefined) {
        timers = new Map();
        record.timers = timers;
      }
      for (const timer of profile.setTimers) {
        const key = timerKey(timer.triggerId, timer.timerId);
        const replaced = timers?.get(key);
        if (replaced !== undefined) this.liveTimers.delete(replaced);
        const stored = this.copy(timer);
        timers?.set(key, stored);
        this.liveTimers.add(stored);
        this.heap.push({ fireAt: stored.fireAt, profileId: profile.profileId, timer: stored });
      }
      if (timers !== undefined && timers.size === 0) record.timers = undefined;
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
    return [...this.profiles.values()].flatMap((record) => (record.timers === undefined ? [] : [...record.timers.values()]));
  }
}

interface StoredRecord {
  state: ProfileTriggerState;
  /** Pending timers by `triggerId␟timerId`; undefined when there are none. */
  timers: Map<string, TriggerTimer> | undefined;
}

function timerKey(triggerId: string, timerId: string): string {
  return `${triggerId}\u001f${timerId}`;
}
