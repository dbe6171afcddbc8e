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
  private readonly states = new Map<string, ProfileTriggerState>();
  private readonly timers = new Map<string, Map<string, TriggerTimer>>();
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
    for (const profileId of profileIds) {
      const state = this.states.get(profileId);
      if (state === undefined) continue;
      found.set(profileId, { state: this.copy(state), timers: [...(this.timers.get(profileId)?.values() ?? [])].map((timer) => this.copy(timer)) });
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
      const [profileId, timerKey] = splitKey(top.key);
      const live = this.timers.get(profileId)?.get(timerKey);
      if (live === undefined || live.fireAt !== top.fireAt) continue;
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
      this.states.set(profile.profileId, this.copy(profile.state));
      let timers = this.timers.get(profile.profileId);
      for (const ref of profile.cancelTimers) timers?.delete(timerKey(ref.triggerId, ref.timerId));
      if (profile.setTimers.length > 0 && timers === undefined) {
        timers = new Map();
        this.timers.set(profile.profileId, timers);
      }
      for (const timer of profile.setTimers) {
        const key = timerKey(timer.triggerId, timer.timerId);
        timers?.set(key, this.copy(timer));
        this.heap.push({ fireAt: timer.fireAt, key: `${profile.profileId}\u001e${key}` });
      }
      if (timers !== undefined && timers.size === 0) this.timers.delete(profile.profileId);
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
    return [...this.timers.values()].flatMap((timers) => [...timers.values()]);
  }
}

function timerKey(triggerId: string, timerId: string): string {
  return `${triggerId}\u001f${timerId}`;
}

function splitKey(key: string): [string, string] {
  const index = key.indexOf('\u001e');
  return [key.slice(0, index), key.slice(index + 1)];
}
