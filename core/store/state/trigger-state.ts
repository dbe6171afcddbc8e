import type { HeldAction, OutgoingAction, ProfileTriggerState, TriggerTimer } from '../../triggers/engine-records.js';
import type { HoldReason } from '../../triggers/guards/guard-types.js';
import type { CommitResult, StoredProfile, TriggerCommit, TriggerStateRepository } from '../../triggers/trigger-state-repository.js';
import { createFieldCipher, openNullable, sealNullable, type FieldCipher } from '../../privacy/field-cipher.js';
import type { SqlClient, SqlExecutor, SqlValue } from '../sql/sql-client.js';
import { columnContext } from './encrypted-columns.js';

/**
 * The trigger engine's state in the state store (SQLite or PostgreSQL): the
 * TriggerStateRepository the engine runs on outside tests, behaving like
 * the in-memory reference (test/trigger-state-contract.test.ts holds both to
 * the same scenarios). `commit` is one transaction, so a process killed at
 * any point leaves either the batch before it (processed again, to the same
 * action ids) or the batch after it (its timers gone with the state that
 * consumed them): no timer is lost, none fires twice. States, deferred
 * firings and actions hold event fields and payload traits: sealed with the
 * field cipher when a key is configured (encrypted-columns.ts).
 */
export interface TriggerState extends TriggerStateRepository {
  /** The outbox, oldest firing first: what a delivery worker drains, and what `triggers test` shows. */
  outbox(): Promise<OutgoingAction[]>;
  /** Actions not taken, counted by trigger and reason. */
  holds(): Promise<Array<{ triggerId: string; reason: HoldReason; count: number }>>;
  /** Every pending timer (what a restart would find). */
  pendingTimers(): Promise<TriggerTimer[]>;
}

/**
 * Ids per `IN (…)` list. Every list is padded to this length (repeating its
 * last id, which changes nothing in an IN), so each query has one text: one
 * prepared statement in SQLite, one cached translation for pg.
 */
const IN_LIST = 200;

const CLOCK_UPSERT = 'INSERT INTO trigger_clock (id, event_time) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET event_time = excluded.event_time';
const STATE_UPSERT = 'INSERT INTO trigger_profiles (profile_id, state) VALUES (?, ?) ON CONFLICT (profile_id) DO UPDATE SET state = excluded.state';
const TIMER_UPSERT = `INSERT INTO trigger_timers (profile_id, trigger_id, timer_id, due_at, fire_at, deferred) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (profile_id, trigger_id, timer_id) DO UPDATE SET due_at = excluded.due_at, fire_at = excluded.fire_at, deferred = excluded.deferred`;
const TIMER_DELETE = 'DELETE FROM trigger_timers WHERE profile_id = ? AND trigger_id = ? AND timer_id = ?';
const OUTBOX_INSERT = 'INSERT INTO trigger_outbox (id, trigger_id, profile_id, sink, fired_at, action) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING';
const HOLD_UPSERT = 'INSERT INTO trigger_holds (trigger_id, reason, held) VALUES (?, ?, ?) ON CONFLICT (trigger_id, reason) DO UPDATE SET held = trigger_holds.held + excluded.held';
const IN_PLACEHOLDERS = `(${Array.from({ length: IN_LIST }, () => '?').join(', ')})`;
const STATES_OF = `SELECT profile_id, state FROM trigger_profiles WHERE profile_id IN ${IN_PLACEHOLDERS}`;
const TIMERS_OF = `SELECT profile_id, trigger_id, timer_id, due_at, fire_at, deferred FROM trigger_timers WHERE profile_id IN ${IN_PLACEHOLDERS}`;
const OUTBOX_HAS = `SELECT id FROM trigger_outbox WHERE id IN ${IN_PLACEHOLDERS}`;
// Both read trigger_timers_fire (fire_at, profile_id) in order; the second resumes after the last (fire_at, profile_id) seen.
const DUE_FIRST = 'SELECT fire_at, profile_id FROM trigger_timers WHERE fire_at <= ? ORDER BY fire_at, profile_id LIMIT ?';
const DUE_NEXT = 'SELECT fire_at, profile_id FROM trigger_timers WHERE fire_at <= ? AND fire_at >= ? AND (fire_at > ? OR profile_id > ?) ORDER BY fire_at, profile_id LIMIT ?';

type TimerRow = { profile_id: string; trigger_id: string; timer_id: string; due_at: number; fire_at: number; deferred: string | null };

const STATE_CONTEXT = columnContext('trigger_profiles', 'state');
const DEFERRED_CONTEXT = columnContext('trigger_timers', 'deferred');
const ACTION_CONTEXT = columnContext('trigger_outbox', 'action');

/** An outbox row's action, opened and parsed (action-outbox.ts reads the same column). */
export function readOutboxAction(cipher: FieldCipher, stored: string): OutgoingAction {
  return JSON.parse(cipher.open(stored, ACTION_CONTEXT, 'a trigger outbox row')) as OutgoingAction;
}

/** `cipher` defaults to none (values stored as given), as benches and tests that open SQLite directly expect. */
export function createTriggerState(sql: SqlClient, cipher: FieldCipher = createFieldCipher([])): TriggerState {
  const timerFromRow = (row: TimerRow) => timerFrom(row, cipher);
  return {
    async loadClock() {
      const row = await sql.get<{ event_time: number }>('SELECT event_time FROM trigger_clock WHERE id = 1');
      return row === undefined ? undefined : { eventTime: Number(row.event_time) };
    },
    async loadProfiles(profileIds) {
      const found = new Map<string, StoredProfile>();
      const timersOf = new Map<string, TriggerTimer[]>();
      const unique = [...new Set(profileIds)];
      for (const chunk of paddedChunks(unique)) {
        const states = await sql.all<{ profile_id: string; state: string }>(STATES_OF, chunk);
        for (const row of states) {
          const timers: TriggerTimer[] = [];
          timersOf.set(row.profile_id, timers);
          found.set(row.profile_id, { state: JSON.parse(cipher.open(row.state, STATE_CONTEXT, `trigger state of profile ${row.profile_id}`)) as ProfileTriggerState, timers });
        }
        const timers = await sql.all<TimerRow>(TIMERS_OF, chunk);
        // A timer belongs to a state written in the same commit, so its profile is always found.
        for (const row of timers) timersOf.get(row.profile_id)?.push(timerFromRow(row));
      }
      return found;
    },
    async dueProfiles(clock, limit) {
      const due: string[] = [];
      const seen = new Set<string>();
      // A profile with many due timers takes many rows: read pages until `limit` distinct profiles (or no more rows).
      const page = Math.max(limit, 100);
      let last: { fire_at: number; profile_id: string } | undefined;
      while (due.length < limit) {
        const rows: Array<{ fire_at: number; profile_id: string }> =
          last === undefined ? await sql.all(DUE_FIRST, [clock, page]) : await sql.all(DUE_NEXT, [clock, last.fire_at, last.fire_at, last.profile_id, page]);
        for (const row of rows) {
          if (seen.has(row.profile_id) || due.length >= limit) continue;
          seen.add(row.profile_id);
          due.push(row.profile_id);
        }
        if (rows.length < page) break;
        last = rows[rows.length - 1];
      }
      return due;
    },
    commit: (batch) => commitBatch(sql, batch, cipher),
    async outbox() {
      const rows = await sql.all<{ action: string }>('SELECT action FROM trigger_outbox ORDER BY fired_at, id');
      return rows.map((row) => readOutboxAction(cipher, row.action));
    },
    async holds() {
      const rows = await sql.all<{ trigger_id: string; reason: HoldReason; held: number | string }>('SELECT trigger_id, reason, held FROM trigger_holds ORDER BY trigger_id, reason');
      // pg reads BIGINT as a string.
      return rows.map((row) => ({ triggerId: row.trigger_id, reason: row.reason, count: Number(row.held) }));
    },
    async pendingTimers() {
      const rows = await sql.all<TimerRow>('SELECT profile_id, trigger_id, timer_id, due_at, fire_at, deferred FROM trigger_timers ORDER BY fire_at, profile_id, trigger_id, timer_id');
      return rows.map(timerFromRow);
    },
  };
}

async function commitBatch(sql: SqlClient, batch: TriggerCommit, cipher: FieldCipher): Promise<CommitResult> {
  const { states, setTimers, cancelTimers } = foldProfiles(batch, cipher);
  const { fresh, repeatedInBatch } = splitOutbox(batch.outbox);
  const holdRows = countHolds(batch.held);
  return sql.transaction(async (tx) => {
    await tx.run(CLOCK_UPSERT, [batch.clock.eventTime]);
    // Folded per key first, so no two rows of one runBatch conflict (PostgreSQL sends them as one multi-row insert).
    await tx.runBatch(STATE_UPSERT, states);
    await tx.runBatch(TIMER_DELETE, cancelTimers);
    await tx.runBatch(TIMER_UPSERT, setTimers);
    const stored = await existingIds(tx, fresh.map((action) => action.id));
    // Two workers committing one action id at once: the second waits on the first's row lock, then skips it
    // without reporting it here. The outbox still keeps one row, which is what delivery relies on.
    await tx.runBatch(OUTBOX_INSERT, fresh.filter((action) => !stored.has(action.id)).map((action) => outboxRow(action, cipher)));
    await tx.runBatch(HOLD_UPSERT, holdRows);
    const duplicateActionIds = batch.outbox.map((action, index) => (repeatedInBatch.has(index) || stored.has(action.id) ? action.id : undefined)).filter((id) => id !== undefined);
    return { duplicateActionIds };
  });
}

/**
 * The batch's profile changes as their net effect, applied in the order the
 * in-memory reference applies them (per entry: cancels, then sets): the
 * last state per profile, and per timer key either its last value or a delete.
 */
function foldProfiles(batch: TriggerCommit, cipher: FieldCipher): { states: SqlValue[][]; setTimers: SqlValue[][]; cancelTimers: SqlValue[][] } {
  const states = new Map<string, ProfileTriggerState>();
  const timers = new Map<string, { profileId: string; triggerId: string; timerId: string; timer: TriggerTimer | undefined }>();
  for (const profile of batch.profiles) {
    states.set(profile.profileId, profile.state);
    for (const ref of profile.cancelTimers) timers.set(keyOf(profile.profileId, ref.triggerId, ref.timerId), { profileId: profile.profileId, triggerId: ref.triggerId, timerId: ref.timerId, timer: undefined });
    for (const timer of profile.setTimers) timers.set(keyOf(profile.profileId, timer.triggerId, timer.timerId), { profileId: profile.profileId, triggerId: timer.triggerId, timerId: timer.timerId, timer });
  }
  const setTimers: SqlValue[][] = [];
  const cancelTimers: SqlValue[][] = [];
  for (const { profileId, triggerId, timerId, timer } of timers.values()) {
    if (timer === undefined) cancelTimers.push([profileId, triggerId, timerId]);
    else setTimers.push([profileId, triggerId, timerId, timer.dueAt, timer.fireAt, sealNullable(cipher, timer.deferred === undefined ? null : JSON.stringify(timer.deferred), DEFERRED_CONTEXT)]);
  }
  return { states: [...states].map(([profileId, state]) => [profileId, cipher.seal(JSON.stringify(state), STATE_CONTEXT)]), setTimers, cancelTimers };
}

/** The first action per id goes on; later ones in the same batch are duplicates, as the reference counts them. */
function splitOutbox(outbox: readonly OutgoingAction[]): { fresh: OutgoingAction[]; repeatedInBatch: Set<number> } {
  const ids = new Set<string>();
  const fresh: OutgoingAction[] = [];
  const repeatedInBatch = new Set<number>();
  outbox.forEach((action, index) => {
    if (ids.has(action.id)) repeatedInBatch.add(index);
    else {
      ids.add(action.id);
      fresh.push(action);
    }
  });
  return { fresh, repeatedInBatch };
}

function countHolds(held: readonly HeldAction[]): SqlValue[][] {
  const counts = new Map<string, { triggerId: string; reason: HoldReason; count: number }>();
  for (const hold of held) {
    const key = `${hold.triggerId}\u001f${hold.reason}`;
    const entry = counts.get(key);
    if (entry === undefined) counts.set(key, { triggerId: hold.triggerId, reason: hold.reason, count: 1 });
    else entry.count++;
  }
  return [...counts.values()].map(({ triggerId, reason, count }) => [triggerId, reason, count]);
}

async function existingIds(tx: SqlExecutor, ids: readonly string[]): Promise<Set<string>> {
  const existing = new Set<string>();
  for (const chunk of paddedChunks(ids)) for (const row of await tx.all<{ id: string }>(OUTBOX_HAS, chunk)) existing.add(row.id);
  return existing;
}

function outboxRow(action: OutgoingAction, cipher: FieldCipher): SqlValue[] {
  return [action.id, action.triggerId, action.profileId, action.sink, action.firedAt, cipher.seal(JSON.stringify(action), ACTION_CONTEXT)];
}

function timerFrom(row: TimerRow, cipher: FieldCipher): TriggerTimer {
  const timer: TriggerTimer = { profileId: row.profile_id, triggerId: row.trigger_id, timerId: row.timer_id, dueAt: Number(row.due_at), fireAt: Number(row.fire_at) };
  const deferred = openNullable(cipher, row.deferred, DEFERRED_CONTEXT, `deferred firing of profile ${row.profile_id}`);
  if (deferred !== null) timer.deferred = JSON.parse(deferred) as TriggerTimer['deferred'];
  return timer;
}

function paddedChunks(values: readonly string[]): string[][] {
  const chunks: string[][] = [];
  for (let start = 0; start < values.length; start += IN_LIST) {
    const chunk = values.slice(start, start + IN_LIST);
    const last = chunk[chunk.length - 1] as string;
    while (chunk.length < IN_LIST) chunk.push(last);
    chunks.push(chunk);
  }
  return chunks;
}

function keyOf(profileId: string, triggerId: string, timerId: string): string {
  return `${profileId}\u001e${triggerId}\u001f${timerId}`;
}
