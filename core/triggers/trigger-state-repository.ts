import type { HeldAction, OutgoingAction, ProfileTriggerState, TimerRef, TriggerTimer } from './engine-records.js';

/**
 * Where the trigger engine keeps its state: the one seam between the pure
 * engine and a store. The SQL implementation lives in the state store
 * (SQLite or PostgreSQL); in-memory-trigger-state-repository.ts is the
 * reference for tests and benchmarks.
 *
 * The contract that makes timers durable and actions exactly-once is
 * `commit`: profile states, timer changes, new outbox rows and the event
 * clock are written in ONE transaction (an outbox). A crash before it loses
 * nothing (the batch is processed again: same state in, same ids out); a
 * crash after it fires nothing twice (the timers are gone with the state
 * that consumed them, and the outbox keeps one row per action id).
 *
 * Suggested tables: trigger_profiles (profile_id PK, state JSON),
 * trigger_timers (profile_id, trigger_id, timer_id PK; due_at, fire_at
 * indexed, deferred JSON), trigger_outbox (id PK, …, delivered_at),
 * trigger_holds (counters by trigger and reason), trigger_meta (clock).
 * Frequency counters and cooldowns live inside the profile state: they are
 * read and written with it, so they need no table or lock of their own.
 */
export interface TriggerStateRepository {
  /** The engine's event clock as last committed; undefined before the first commit. */
  loadClock(): Promise<EngineClock | undefined>;
  /** State and pending timers of each profile; a profile never seen is absent from the map. */
  loadProfiles(profileIds: readonly string[]): Promise<Map<string, StoredProfile>>;
  /** Profiles with a timer whose fireAt ≤ `clock`, earliest fireAt first, at most `limit`. */
  dueProfiles(clock: number, limit: number): Promise<string[]>;
  /** Everything one batch changed, in one transaction. */
  commit(batch: TriggerCommit): Promise<CommitResult>;
}

export interface EngineClock {
  /** The newest event time seen (clamped to the wall clock), or the wall clock the engine was advanced to. */
  eventTime: number;
}

export interface StoredProfile {
  state: ProfileTriggerState;
  /** Read only: the in-memory repository hands out its stored list. */
  timers: readonly TriggerTimer[];
}

export interface TriggerCommit {
  clock: EngineClock;
  profiles: ReadonlyArray<{
    profileId: string;
    state: ProfileTriggerState;
    /** Insert or replace by (profileId, triggerId, timerId). */
    setTimers: readonly TriggerTimer[];
    /** Delete; a timer that is not there is not an error. */
    cancelTimers: readonly TimerRef[];
  }>;
  /** Insert; an id already in the outbox (the fired-action log) is skipped, not an error. */
  outbox: readonly OutgoingAction[];
  /** Actions not taken, for counting by trigger and reason (metrics, `triggers test`). */
  held: readonly HeldAction[];
}

export interface CommitResult {
  /** Outbox ids that were already there: not new actions. */
  duplicateActionIds: string[];
}
