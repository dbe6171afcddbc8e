import { sealEntry, type AuditDetail, type AuditKind, type StoredAuditEntry } from '../../audit/audit-entry.js';
import type { ChainHead } from '../../audit/verify-chain.js';
import type { SqlClient } from '../sql/sql-client.js';

/**
 * The audit trail in the state store (table `audit_log`, schema version 7):
 * one trail per state, so workers sharing a PostgreSQL state write one chain.
 * Append-only: the migration puts triggers on the table that refuse UPDATE
 * and DELETE, and the chain itself (core/audit/) shows any change made
 * around them.
 *
 * An append reads the head (the one-row `audit_head`: last seq and hash) and
 * writes the next entry and the new head in one transaction. On SQLite,
 * BEGIN IMMEDIATE already gives the transaction the file's write lock; on
 * PostgreSQL, `FOR UPDATE` on the head row makes a second worker wait for
 * the first to commit, then read its entry as the head. Two workers never
 * fork the chain (and `seq` as primary key would refuse a fork anyway).
 */
export interface AuditAppend {
  kind: AuditKind;
  actor: string;
  detail: AuditDetail;
}

export interface AuditLog {
  /** Seals and appends the next entry; with `key`, it carries a MAC (core/audit/audit-entry.ts). */
  append(entry: AuditAppend, options?: { key?: string }): Promise<StoredAuditEntry>;
  /** The trail in seq order, optionally from an ISO time on. */
  entries(options?: { since?: string }): Promise<StoredAuditEntry[]>;
  /** The newest entry of one kind (a run's mapping hash, compared with the next run's). */
  latest(kind: AuditKind): Promise<StoredAuditEntry | undefined>;
  /** The last seq and hash as recorded at each append (seq 0 when empty); undefined when the head row was deleted. */
  head(): Promise<ChainHead | undefined>;
}

const COLUMNS = 'seq, at, kind, actor, detail, prev, hash, mac';
const INSERT = `INSERT INTO audit_log (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;

export function createAuditLog(sql: SqlClient, now: () => number): AuditLog {
  const headQuery = `SELECT seq, hash FROM audit_head WHERE id = 1${sql.dialect === 'postgres' ? ' FOR UPDATE' : ''}`;
  return {
    append: (entry, options = {}) => sql.transaction(async (tx) => {
      const head = await tx.get<ChainHead>(headQuery);
      if (head === undefined) throw new Error(`${sql.location}: audit_head has no row: the audit trail's head was deleted (run \`segflow audit verify\`)`);
      const sealed = sealEntry({ seq: Number(head.seq) + 1, at: new Date(now()).toISOString(), kind: entry.kind, actor: entry.actor, detail: entry.detail, prev: head.hash }, options.key);
      await tx.run(INSERT, [sealed.seq, sealed.at, sealed.kind, sealed.actor, sealed.detail, sealed.prev, sealed.hash, sealed.mac]);
      await tx.run('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1', [sealed.seq, sealed.hash]);
      return sealed;
    }),
    async entries(options = {}) {
      const rows = options.since === undefined
        ? await sql.all<StoredAuditEntry>(`SELECT ${COLUMNS} FROM audit_log ORDER BY seq`)
        : await sql.all<StoredAuditEntry>(`SELECT ${COLUMNS} FROM audit_log WHERE at >= ? ORDER BY seq`, [options.since]);
      return rows.map(fromRow);
    },
    async latest(kind) {
      const row = await sql.get<StoredAuditEntry>(`SELECT ${COLUMNS} FROM audit_log WHERE kind = ? ORDER BY seq DESC LIMIT 1`, [kind]);
      return row === undefined ? undefined : fromRow(row);
    },
    async head() {
      const head = await sql.get<ChainHead>('SELECT seq, hash FROM audit_head WHERE id = 1');
      return head === undefined ? undefined : { seq: Number(head.seq), hash: head.hash };
    },
  };
}

function fromRow(row: StoredAuditEntry): StoredAuditEntry {
  return { ...row, seq: Number(row.seq), mac: row.mac ?? null };
}
