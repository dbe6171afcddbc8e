import { createHash } from 'node:crypto';
import type { ConnectorError } from '../../errors/connector-error.js';
import { openNullable, type FieldCipher } from '../../privacy/field-cipher.js';
import { maskPii } from '../../privacy/mask-pii.js';
import { fingerprint } from '../../sync/change-fingerprint.js';
import type { AckedRecord } from '../../sync/planner.js';
import type { PropertyValue, SinkChange } from '../../sync/sink.js';
import type { SqlClient, SqlExecutor } from '../sql/sql-client.js';
import { columnContext } from './encrypted-columns.js';

/**
 * What one vendor account acknowledged, per profile, and what may be in
 * flight to it. Keyed by the account a sink writes to (type + base URL + the
 * vendor's account id, see each sink's `identify`), never by the sink's id:
 * a sink pointed at another account starts from that account's own state, and
 * a sandbox rehearsal never makes a real account look "in step".
 *
 * Every write follows a vendor answer (or, for `pending`, precedes the call),
 * so after a crash the planner sees exactly what the vendor confirmed plus
 * what may have reached it.
 *
 * Record keys and property values are vendor-bound PII (e-mails, phones):
 * with a key configured they are sealed on write and opened on read, so no
 * SQL here compares them; equality checks happen in TypeScript on opened values.
 */
export type MembershipState = 'pending' | 'member' | 'removing';

export interface SinkAccountState {
  readonly account: string;
  loadAcked(): Promise<Map<string, AckedRecord>>;
  /** The acknowledged vendor record of these profiles only (trigger actions need the key and vendor id of a few). */
  recordsOf(profileIds: readonly string[]): Promise<Map<string, { key: string; vendorId?: string }>>;
  /** Records "this may reach the vendor" before the call (memberships about to be added, values about to be written). */
  markPending(changes: readonly SinkChange[]): Promise<void>;
  /** Re-labels state so it follows vendor records when keys moved (changed email, shared email, merges). */
  reconcileKeys(desired: ReadonlyArray<{ profileId: string; key: string }>): Promise<void>;
  /** One transaction per vendor answer: every acknowledged change of a batch lands together. */
  acknowledge(acks: ReadonlyArray<{ change: SinkChange; vendorId?: string }>): Promise<void>;
  /** Records the vendor says do not exist (enrich-mode updates skipped): nothing is there. */
  forget(profileIds: readonly string[]): Promise<void>;
  /** Rows of erased records that hold nothing any more: the raw key goes with them. */
  dropEmptied(isErased: (key: string, profileId: string) => boolean): Promise<void>;
  deadLetter(runId: string, sinkId: string, failures: ReadonlyArray<{ change: SinkChange; error: ConnectorError }>): Promise<void>;
  /** Fingerprints of parked dead letters (open or discarded): not re-sent until retried or changed. */
  parkedFingerprints(): Promise<Set<string>>;
  /** True when no sync ever ran against this account from this state. */
  isNew(): Promise<boolean>;
  /** Remembers that `sinkId` synced this account (first and last time). Adopts pre-account state of that sink id once. */
  noteSynced(sinkId: string, type: string): Promise<void>;
  /**
   * State written before accounts existed (keyed `legacy-sink:<sink id>`)
   * becomes this account's, once, when this account has none of its own.
   * Returns the number of records adopted.
   */
  adoptLegacy(sinkId: string): Promise<number>;
  /** Empties the account's state (a sandbox whose simulator starts empty). */
  reset(): Promise<void>;
}

type RecordRow = { profile_id: string; record_key: string; vendor_id: string | null; properties: string | null; pending_properties: string | null };

const ACK_KEY = columnContext('sink_acks', 'record_key');
const ACK_PROPERTIES = columnContext('sink_acks', 'properties');
const ACK_PENDING = columnContext('sink_acks', 'pending_properties');
export const DEAD_LETTER_KEY = columnContext('dead_letters', 'record_key');
const DEAD_LETTER_CHANGE = columnContext('dead_letters', 'change');

/** A sink_acks row with its sealed columns opened. */
function openRecordRow<Row extends Partial<RecordRow> & { profile_id: string; record_key: string }>(cipher: FieldCipher, account: string, row: Row): Row {
  const where = `sink state of profile ${row.profile_id} (account ${account})`;
  return {
    ...row,
    record_key: cipher.open(row.record_key, ACK_KEY, where),
    ...(row.properties !== undefined ? { properties: openNullable(cipher, row.properties, ACK_PROPERTIES, where) } : {}),
    ...(row.pending_properties !== undefined ? { pending_properties: openNullable(cipher, row.pending_properties, ACK_PENDING, where) } : {}),
  };
}

export function createSinkAccountState(sql: SqlClient, account: string, now: () => number, cipher: FieldCipher): SinkAccountState {
  const opened = <Row extends Partial<RecordRow> & { profile_id: string; record_key: string }>(row: Row) => openRecordRow(cipher, account, row);
  const at = () => new Date(now()).toISOString();
  const removeProfile = async (tx: SqlExecutor, profileId: string) => {
    await tx.run('DELETE FROM sink_lists WHERE account = ? AND profile_id = ?', [account, profileId]);
    await tx.run('DELETE FROM sink_acks WHERE account = ? AND profile_id = ?', [account, profileId]);
  };
  const moveLists = async (tx: SqlExecutor, from: string, to: string) => {
    // Portable "UPDATE OR IGNORE": copy what the target lacks, then drop the source's rows.
    await tx.run('INSERT INTO sink_lists (account, profile_id, list_key, state) SELECT account, ?, list_key, state FROM sink_lists WHERE account = ? AND profile_id = ? ON CONFLICT (account, profile_id, list_key) DO NOTHING', [to, account, from]);
    await tx.run('DELETE FROM sink_lists WHERE account = ? AND profile_id = ?', [account, from]);
  };
  const relabel = async (tx: SqlExecutor, from: string, to: string) => {
    await tx.run('DELETE FROM sink_acks WHERE account = ? AND profile_id = ?', [account, to]);
    await tx.run('UPDATE sink_acks SET profile_id = ? WHERE account = ? AND profile_id = ?', [to, account, from]);
    await moveLists(tx, from, to);
  };
  const forget = async (profileIds: readonly string[]) => {
    if (profileIds.length === 0) return;
    await sql.transaction(async (tx) => {
      for (const profileId of profileIds) await removeProfile(tx, profileId);
    });
  };
  const resolveOpen = 'UPDATE dead_letters SET resolved_at = ?, resolution = ? WHERE account = ? AND profile_id = ? AND op = ? AND coalesce(list_key, \'\') = ? AND resolved_at IS NULL';

  return {
    account,
    async loadAcked() {
      const acked = new Map<string, AckedRecord & { lists: Map<string, MembershipState> }>();
      const records = await sql.all<RecordRow>('SELECT profile_id, record_key, vendor_id, properties, pending_properties FROM sink_acks WHERE account = ?', [account]);
      for (const row of records.map(opened)) {
        acked.set(row.profile_id, {
          profileId: row.profile_id,
          key: row.record_key,
          ...(row.vendor_id ? { vendorId: row.vendor_id } : {}),
          properties: row.properties === null ? null : (JSON.parse(row.properties) as Record<string, PropertyValue>),
          pendingProperties: row.pending_properties === null ? null : (JSON.parse(row.pending_properties) as Record<string, PropertyValue>),
          lists: new Map(),
        });
      }
      const memberships = await sql.all<{ profile_id: string; list_key: string; state: MembershipState }>('SELECT profile_id, list_key, state FROM sink_lists WHERE account = ?', [account]);
      // A membership without a record row cannot happen (adds need a vendor id, which only an acknowledged upsert gives).
      for (const row of memberships) acked.get(row.profile_id)?.lists.set(row.list_key, row.state);
      return acked;
    },
    async recordsOf(profileIds) {
      const found = new Map<string, { key: string; vendorId?: string }>();
      const unique = [...new Set(profileIds)];
      for (let start = 0; start < unique.length; start += 200) {
        const chunk = unique.slice(start, start + 200);
        const rows = await sql.all<{ profile_id: string; record_key: string; vendor_id: string | null }>(
          `SELECT profile_id, record_key, vendor_id FROM sink_acks WHERE account = ? AND profile_id IN (${chunk.map(() => '?').join(', ')})`, [account, ...chunk]);
        for (const row of rows.map(opened)) found.set(row.profile_id, { key: row.record_key, ...(row.vendor_id ? { vendorId: row.vendor_id } : {}) });
      }
      return found;
    },
    async markPending(changes) {
      const stamp = at();
      const adds: string[][] = [];
      const values: string[][] = [];
      const removals: string[][] = [];
      for (const change of changes) {
        if (change.op === 'list-add') adds.push([account, change.record.profileId, change.list]);
        else if (change.op === 'list-remove') removals.push([account, change.record.profileId, change.list]);
        else if (change.op === 'upsert' || change.op === 'update') values.push([account, change.record.profileId, cipher.seal(change.record.key, ACK_KEY), stamp, cipher.seal(JSON.stringify(change.properties), ACK_PENDING)]);
      }
      await sql.transaction(async (tx) => {
        // A batch holds one change per record, so its rows never conflict with each other (runBatch's rule).
        await tx.runBatch("INSERT INTO sink_lists (account, profile_id, list_key, state) VALUES (?, ?, ?, 'pending') ON CONFLICT (account, profile_id, list_key) DO NOTHING", adds);
        await tx.runBatch(`INSERT INTO sink_acks (account, profile_id, record_key, vendor_id, properties, acked_at, pending_properties) VALUES (?, ?, ?, NULL, NULL, ?, ?)
          ON CONFLICT (account, profile_id) DO UPDATE SET pending_properties = excluded.pending_properties`, values);
        await tx.runBatch("UPDATE sink_lists SET state = 'removing' WHERE account = ? AND profile_id = ? AND list_key = ?", removals);
      });
    },
    async reconcileKeys(desired) {
      const rows = (await sql.all<{ profile_id: string; record_key: string }>('SELECT profile_id, record_key FROM sink_acks WHERE account = ?', [account])).map(opened);
      if (rows.length === 0) return;
      const ackedKey = new Map(rows.map((row) => [row.profile_id, row.record_key]));
      const desiredKey = new Map(desired.map((record) => [record.profileId, record.key]));
      const desiredOwner = new Map(desired.map((record) => [record.key, record.profileId]));
      const moves = planKeyMoves(ackedKey, desiredKey, desiredOwner);
      if (moves.length === 0) return;
      await sql.transaction(async (tx) => {
        for (const move of moves) {
          if (move.kind === 'relabel') await relabel(tx, move.from, move.to);
          else {
            // Both hold the same vendor record: the owner keeps its values and gains the memberships it lacks.
            await moveLists(tx, move.from, move.to);
            await tx.run('DELETE FROM sink_acks WHERE account = ? AND profile_id = ?', [account, move.from]);
          }
        }
      });
    },
    async acknowledge(acks) {
      if (acks.length === 0) return;
      const stamp = at();
      const records: Array<Array<string | null>> = [];
      const members: string[][] = [];
      const leaves: string[][] = [];
      const deletes: string[] = [];
      for (const { change, vendorId } of acks) {
        const { profileId, key } = change.record;
        if (change.op === 'upsert' || change.op === 'update') records.push([account, profileId, cipher.seal(key, ACK_KEY), vendorId ?? change.record.vendorId ?? null, cipher.seal(JSON.stringify(change.properties), ACK_PROPERTIES), stamp]);
        else if (change.op === 'list-add') members.push([account, profileId, change.list]);
        else if (change.op === 'list-remove') leaves.push([account, profileId, change.list]);
        else deletes.push(profileId);
      }
      await sql.transaction(async (tx) => {
        // A change that went through supersedes its dead letter (looked up only when the account has open ones).
        if (await tx.get('SELECT id FROM dead_letters WHERE account = ? AND resolved_at IS NULL LIMIT 1', [account])) {
          await tx.runBatch(resolveOpen, acks.map(({ change }) => [stamp, 'applied', account, change.record.profileId, change.op, 'list' in change ? change.list : '']));
        }
        await tx.runBatch(`INSERT INTO sink_acks (account, profile_id, record_key, vendor_id, properties, acked_at) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (account, profile_id) DO UPDATE SET record_key = excluded.record_key, vendor_id = coalesce(excluded.vendor_id, sink_acks.vendor_id),
          properties = excluded.properties, acked_at = excluded.acked_at, pending_properties = NULL`, records);
        await tx.runBatch("INSERT INTO sink_lists (account, profile_id, list_key, state) VALUES (?, ?, ?, 'member') ON CONFLICT (account, profile_id, list_key) DO UPDATE SET state = 'member'", members);
        await tx.runBatch('DELETE FROM sink_lists WHERE account = ? AND profile_id = ? AND list_key = ?', leaves);
        for (const profileId of deletes) await removeProfile(tx, profileId);
      });
    },
    forget,
    async dropEmptied(isErased) {
      const rows = await sql.all<RecordRow & { lists: number | string }>(`SELECT r.profile_id, r.record_key, r.properties, r.pending_properties,
        (SELECT count(*) FROM sink_lists m WHERE m.account = r.account AND m.profile_id = r.profile_id) AS lists FROM sink_acks r WHERE r.account = ?`, [account]).then((found) => found.map(opened));
      const empty = (json: string | null) => json === null || Object.values(JSON.parse(json) as Record<string, unknown>).every((value) => value === null || value === '');
      const emptied = rows.filter((row) => Number(row.lists) === 0 && empty(row.properties) && empty(row.pending_properties) && isErased(row.record_key, row.profile_id.split('~')[0] as string));
      await forget(emptied.map((row) => row.profile_id));
    },
    async deadLetter(runId, sinkId, failures) {
      if (failures.length === 0) return;
      const stamp = at();
      await sql.transaction(async (tx) => {
        for (const { change, error } of failures) {
          const list = 'list' in change ? change.list : '';
          await tx.run(resolveOpen, [stamp, 'superseded', account, change.record.profileId, change.op, list]);
          await tx.run(`INSERT INTO dead_letters (account, sink_id, run_id, profile_id, record_key, op, list_key, fingerprint, change, error_code, error_message, failed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [account, sinkId, runId, change.record.profileId, cipher.seal(change.record.key, DEAD_LETTER_KEY), change.op, list || null, fingerprint(change),
            cipher.seal(JSON.stringify(change), DEAD_LETTER_CHANGE), error.code, maskPii(error.message), stamp]);
        }
      });
    },
    async parkedFingerprints() {
      const rows = await sql.all<{ fingerprint: string }>("SELECT fingerprint FROM dead_letters WHERE account = ? AND (resolved_at IS NULL OR resolution = 'discarded')", [account]);
      return new Set(rows.map((row) => row.fingerprint));
    },
    async isNew() {
      const seen = await sql.get<{ account: string }>('SELECT account FROM sink_accounts WHERE account = ?', [account]);
      if (seen) return false;
      const held = await sql.get<{ profile_id: string }>('SELECT profile_id FROM sink_acks WHERE account = ? LIMIT 1', [account]);
      return held === undefined;
    },
    async noteSynced(sinkId, type) {
      const stamp = at();
      await sql.run(`INSERT INTO sink_accounts (account, type, last_sink_id, first_synced_at, last_synced_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (account) DO UPDATE SET last_sink_id = excluded.last_sink_id, last_synced_at = excluded.last_synced_at`, [account, type, sinkId, stamp, stamp]);
    },
    async adoptLegacy(sinkId) {
      const legacy = `legacy-sink:${sinkId}`;
      return sql.transaction(async (tx) => {
        const own = await tx.get<{ profile_id: string }>('SELECT profile_id FROM sink_acks WHERE account = ? LIMIT 1', [account]);
        if (own) return 0;
        const moved = await tx.run('UPDATE sink_acks SET account = ? WHERE account = ?', [account, legacy]);
        await tx.run('UPDATE sink_lists SET account = ? WHERE account = ?', [account, legacy]);
        await tx.run('UPDATE dead_letters SET account = ? WHERE account = ?', [account, legacy]);
        return moved.changes;
      });
    },
    async reset() {
      await sql.transaction(async (tx) => {
        for (const table of ['sink_acks', 'sink_lists', 'dead_letters', 'sink_accounts']) await tx.run(`DELETE FROM ${table} WHERE account = ?`, [account]);
      });
    },
  };
}

type KeyMove = { kind: 'relabel' | 'merge'; from: string; to: string };

/**
 * Pure: how acknowledged state must move to follow the vendor records.
 * - a profile whose key changed leaves its old record behind: that record's
 *   state moves to a retired pseudo-profile (`<profile>~<hash of key>`), which
 *   the planner empties like any profile that left the sink;
 * - a key now wanted by another profile (shared email, identity merge) hands
 *   its state to that profile, so the normal diff removes what it should not have.
 */
export function planKeyMoves(ackedKey: Map<string, string>, desiredKey: ReadonlyMap<string, string>, desiredOwner: ReadonlyMap<string, string>): KeyMove[] {
  const moves: KeyMove[] = [];
  for (const [profileId, key] of [...ackedKey]) {
    const wanted = desiredKey.get(profileId);
    if (wanted === undefined || wanted === key) continue;
    const retired = `${profileId}~${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
    moves.push({ kind: 'relabel', from: profileId, to: retired });
    ackedKey.delete(profileId);
    ackedKey.set(retired, key);
  }
  for (const [holder, key] of [...ackedKey]) {
    const owner = desiredOwner.get(key);
    if (owner === undefined || owner === holder || desiredKey.has(holder)) continue;
    moves.push({ kind: ackedKey.get(owner) === key ? 'merge' : 'relabel', from: holder, to: owner });
    ackedKey.set(owner, key);
    ackedKey.delete(holder);
  }
  return moves;
}
