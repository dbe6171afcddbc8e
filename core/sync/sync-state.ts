import { createHash } from 'node:crypto';
import type { ConnectorError } from '../errors/connector-error.js';
import { redactEmails } from '../privacy/redact-text.js';
import type { StateDb } from '../store/state-db.js';
import type { AckedRecord } from './planner.js';
import type { PropertyValue, SinkChange } from './sink.js';

/**
 * Acknowledged sink state in SQLite. Every write here follows a vendor
 * answer (or, for `pending` memberships, precedes the call), so after a
 * crash the planner sees exactly what the vendor confirmed plus what may
 * have reached it.
 */
export class SyncStateStore {
  constructor(
    private readonly db: StateDb,
    readonly sinkId: string,
    private readonly now: () => number,
  ) {}

  loadAcked(): Map<string, AckedRecord> {
    const acked = new Map<string, { profileId: string; key: string; vendorId?: string; properties: Record<string, PropertyValue> | null; pendingProperties: Record<string, PropertyValue> | null; lists: Map<string, 'pending' | 'member' | 'removing'> }>();
    const records = this.db
      .prepare('SELECT profile_id, record_key, vendor_id, properties, pending_properties FROM sink_records WHERE sink_id = ?')
      .all(this.sinkId) as Array<{ profile_id: string; record_key: string; vendor_id: string | null; properties: string | null; pending_properties: string | null }>;
    for (const row of records) {
      acked.set(row.profile_id, {
        profileId: row.profile_id,
        key: row.record_key,
        ...(row.vendor_id ? { vendorId: row.vendor_id } : {}),
        properties: row.properties === null ? null : (JSON.parse(row.properties) as Record<string, PropertyValue>),
        pendingProperties: row.pending_properties === null ? null : (JSON.parse(row.pending_properties) as Record<string, PropertyValue>),
        lists: new Map(),
      });
    }
    const memberships = this.db
      .prepare('SELECT m.profile_id, m.list_key, m.state, r.record_key FROM sink_memberships m LEFT JOIN sink_records r ON r.sink_id = m.sink_id AND r.profile_id = m.profile_id WHERE m.sink_id = ?')
      .all(this.sinkId) as Array<{ profile_id: string; list_key: string; state: 'pending' | 'member' | 'removing'; record_key: string | null }>;
    for (const row of memberships) {
      const record = acked.get(row.profile_id);
      // A membership without a record row cannot happen (adds need a vendor id, which only an acked upsert gives).
      if (record) record.lists.set(row.list_key, row.state);
    }
    return acked;
  }

  /**
   * Records "this may reach the vendor" before the call: a membership about
   * to be added, values about to be written (to a record that may not exist
   * yet). A crash right after then cannot hide them from a later removal.
   */
  markPending(changes: readonly SinkChange[]): void {
    const membership = this.db.prepare("INSERT INTO sink_memberships (sink_id, profile_id, list_key, state) VALUES (?, ?, ?, 'pending') ON CONFLICT DO NOTHING");
    const removal = this.db.prepare("UPDATE sink_memberships SET state = 'removing' WHERE sink_id = ? AND profile_id = ? AND list_key = ?");
    const values = this.db.prepare(`INSERT INTO sink_records (sink_id, profile_id, record_key, vendor_id, properties, acked_at, pending_properties) VALUES (?, ?, ?, NULL, NULL, ?, ?)
      ON CONFLICT (sink_id, profile_id) DO UPDATE SET pending_properties = excluded.pending_properties`);
    const at = new Date(this.now()).toISOString();
    this.db.transaction(() => {
      for (const change of changes) {
        if (change.op === 'list-add') membership.run(this.sinkId, change.record.profileId, change.list);
        else if (change.op === 'list-remove') removal.run(this.sinkId, change.record.profileId, change.list);
        else if (change.op === 'upsert' || change.op === 'update') values.run(this.sinkId, change.record.profileId, change.record.key, at, JSON.stringify(change.properties));
      }
    })();
  }

  /**
   * Re-labels acknowledged state so it follows the vendor records, before
   * planning. State is kept per profile, but what segflow added lives on a
   * vendor record (a key):
   * - a profile whose key changed leaves its old record behind: that record's
   *   state moves to a retired pseudo-profile (`<profile>~<hash of key>`), which
   *   the planner empties like any profile that left the sink;
   * - a key now wanted by another profile (shared email, identity merge) hands
   *   its state to that profile, so the normal diff removes what it should not have.
   */
  reconcileKeys(desired: ReadonlyArray<{ profileId: string; key: string }>): void {
    const rows = this.db.prepare('SELECT profile_id, record_key FROM sink_records WHERE sink_id = ?').all(this.sinkId) as Array<{ profile_id: string; record_key: string }>;
    if (rows.length === 0) return;
    const ackedKey = new Map(rows.map((row) => [row.profile_id, row.record_key]));
    const desiredKey = new Map(desired.map((record) => [record.profileId, record.key]));
    const desiredOwner = new Map(desired.map((record) => [record.key, record.profileId]));
    const moveRecord = this.db.prepare('UPDATE sink_records SET profile_id = ? WHERE sink_id = ? AND profile_id = ?');
    const moveMemberships = this.db.prepare('UPDATE OR IGNORE sink_memberships SET profile_id = ? WHERE sink_id = ? AND profile_id = ?');
    const dropRecord = this.db.prepare('DELETE FROM sink_records WHERE sink_id = ? AND profile_id = ?');
    const dropMemberships = this.db.prepare('DELETE FROM sink_memberships WHERE sink_id = ? AND profile_id = ?');
    const relabel = (from: string, to: string) => {
      dropRecord.run(this.sinkId, to);
      moveRecord.run(to, this.sinkId, from);
      moveMemberships.run(to, this.sinkId, from);
      dropMemberships.run(this.sinkId, from);
    };
    this.db.transaction(() => {
      for (const [profileId, key] of [...ackedKey]) {
        const wanted = desiredKey.get(profileId);
        if (wanted === undefined || wanted === key) continue;
        const retired = `${profileId}~${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
        relabel(profileId, retired);
        ackedKey.delete(profileId);
        ackedKey.set(retired, key);
      }
      for (const [holder, key] of [...ackedKey]) {
        const owner = desiredOwner.get(key);
        if (owner === undefined || owner === holder || desiredKey.has(holder)) continue;
        if (ackedKey.get(owner) === key) {
          // Both hold the same vendor record: the owner keeps its values and gains the memberships it lacks.
          moveMemberships.run(owner, this.sinkId, holder);
          dropMemberships.run(this.sinkId, holder);
          dropRecord.run(this.sinkId, holder);
        } else {
          relabel(holder, owner);
          ackedKey.set(owner, key);
        }
        ackedKey.delete(holder);
      }
    })();
  }

  /** One transaction per vendor answer: every acknowledged change of a batch lands together. */
  acknowledge(acks: ReadonlyArray<{ change: SinkChange; vendorId?: string }>): void {
    const at = new Date(this.now()).toISOString();
    const upsertRecord = this.db.prepare(`INSERT INTO sink_records (sink_id, profile_id, record_key, vendor_id, properties, acked_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (sink_id, profile_id) DO UPDATE SET record_key = excluded.record_key, vendor_id = coalesce(excluded.vendor_id, vendor_id), properties = excluded.properties, acked_at = excluded.acked_at, pending_properties = NULL`);
    const member = this.db.prepare("INSERT INTO sink_memberships (sink_id, profile_id, list_key, state) VALUES (?, ?, ?, 'member') ON CONFLICT DO UPDATE SET state = 'member'");
    const removeMember = this.db.prepare('DELETE FROM sink_memberships WHERE sink_id = ? AND profile_id = ? AND list_key = ?');
    const removeRecord = this.db.prepare('DELETE FROM sink_records WHERE sink_id = ? AND profile_id = ?');
    const removeAllMembers = this.db.prepare('DELETE FROM sink_memberships WHERE sink_id = ? AND profile_id = ?');
    // A change that went through supersedes its dead letter (the partial index makes this cheap when there is none).
    const resolveDeadLetter = this.db.prepare("UPDATE sink_dlq SET resolved_at = ? WHERE sink_id = ? AND profile_id = ? AND op = ? AND coalesce(list_key, '') = ? AND resolved_at IS NULL");
    this.db.transaction(() => {
      for (const { change, vendorId } of acks) {
        const { profileId, key } = change.record;
        resolveDeadLetter.run(at, this.sinkId, profileId, change.op, 'list' in change ? change.list : '');
        switch (change.op) {
          case 'upsert':
          case 'update':
            upsertRecord.run(this.sinkId, profileId, key, vendorId ?? change.record.vendorId ?? null, JSON.stringify(change.properties), at);
            break;
          case 'list-add':
            member.run(this.sinkId, profileId, change.list);
            break;
          case 'list-remove':
            removeMember.run(this.sinkId, profileId, change.list);
            break;
          case 'delete':
            removeAllMembers.run(this.sinkId, profileId);
            removeRecord.run(this.sinkId, profileId);
            break;
        }
      }
    })();
  }

  /** An `update` the vendor skipped because the record does not exist (enrich mode): remember that nothing is there. */
  forget(profileIds: readonly string[]): void {
    const removeRecord = this.db.prepare('DELETE FROM sink_records WHERE sink_id = ? AND profile_id = ?');
    const removeMembers = this.db.prepare('DELETE FROM sink_memberships WHERE sink_id = ? AND profile_id = ?');
    this.db.transaction(() => {
      for (const profileId of profileIds) {
        removeMembers.run(this.sinkId, profileId);
        removeRecord.run(this.sinkId, profileId);
      }
    })();
  }

  /** Rows of erased records that hold nothing any more (no membership, no value): the raw key goes with them. */
  dropEmptied(isErased: (key: string, profileId: string) => boolean): void {
    const rows = this.db.prepare(`SELECT r.profile_id, r.record_key, r.properties, r.pending_properties, (SELECT count(*) FROM sink_memberships m WHERE m.sink_id = r.sink_id AND m.profile_id = r.profile_id) AS lists
      FROM sink_records r WHERE r.sink_id = ?`).all(this.sinkId) as Array<{ profile_id: string; record_key: string; properties: string | null; pending_properties: string | null; lists: number }>;
    const empty = (json: string | null) => json === null || Object.values(JSON.parse(json) as Record<string, unknown>).every((value) => value === null || value === '');
    const emptied = rows.filter((row) => row.lists === 0 && empty(row.properties) && empty(row.pending_properties) && isErased(row.record_key, row.profile_id.split('~')[0] as string));
    this.forget(emptied.map((row) => row.profile_id));
  }

  deadLetter(runId: string, failures: ReadonlyArray<{ change: SinkChange; error: ConnectorError }>): void {
    const insert = this.db.prepare(`INSERT INTO sink_dlq (sink_id, run_id, profile_id, op, list_key, fingerprint, change, error_code, error_message, failed_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const resolveOlder = this.db.prepare('UPDATE sink_dlq SET resolved_at = ? WHERE sink_id = ? AND profile_id = ? AND op = ? AND coalesce(list_key, \'\') = ? AND resolved_at IS NULL');
    const at = new Date(this.now()).toISOString();
    this.db.transaction(() => {
      for (const { change, error } of failures) {
        const list = 'list' in change ? change.list : '';
        resolveOlder.run(at, this.sinkId, change.record.profileId, change.op, list);
        insert.run(this.sinkId, runId, change.record.profileId, change.op, list || null, fingerprint(change), JSON.stringify(change), error.code, redactEmails(error.message), at);
      }
    })();
  }

  /** Fingerprints of open dead letters: the same change is not re-sent until retried or changed. */
  parkedFingerprints(): Set<string> {
    const rows = this.db.prepare('SELECT fingerprint FROM sink_dlq WHERE sink_id = ? AND resolved_at IS NULL').all(this.sinkId) as Array<{ fingerprint: string }>;
    return new Set(rows.map((row) => row.fingerprint));
  }
}

/** Identifies a change by its content: a dead letter stays parked until the record's desired state changes. */
export function fingerprint(change: SinkChange): string {
  const content = JSON.stringify([change.op, change.record.profileId, change.record.key, 'list' in change ? change.list : null, 'properties' in change ? sortedEntries(change.properties) : null]);
  return createHash('sha256').update(content).digest('base64url').slice(0, 22);
}

function sortedEntries(properties: Readonly<Record<string, PropertyValue>>): Array<[string, PropertyValue]> {
  return Object.entries(properties).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A sandbox sink talks to a simulator that starts empty: its acknowledged state and dead letters start empty too. */
export function resetSinkState(db: StateDb, sinkId: string): void {
  db.transaction(() => {
    for (const table of ['sink_records', 'sink_memberships', 'sink_dlq']) db.prepare(`DELETE FROM ${table} WHERE sink_id = ?`).run(sinkId);
  })();
}
