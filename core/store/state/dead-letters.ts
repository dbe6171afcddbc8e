import { ENVELOPE_PREFIX, type FieldCipher } from '../../privacy/field-cipher.js';
import type { SqlClient } from '../sql/sql-client.js';
import { DEAD_LETTER_KEY } from './sink-account-state.js';

/**
 * The dead-letter queue across every account of a mapping, as `segflow dlq`
 * and forget see it. Writing letters and parking belongs to the account state
 * (sink-account-state.ts); this is the operator's view. Record keys may be
 * sealed (field cipher): they are opened here, and erasure compares opened keys.
 */
export interface DeadLetter {
  id: number;
  account: string;
  sinkId: string;
  runId: string;
  profileId: string;
  /** The vendor record key (an email, for most sinks): mask before showing. */
  recordKey: string;
  op: string;
  listKey: string | null;
  errorCode: string;
  errorMessage: string;
  failedAt: string;
}

export interface DeadLetterFilter {
  sinkId?: string;
  id?: number;
}

export interface DeadLetters {
  open(filter?: DeadLetterFilter): Promise<DeadLetter[]>;
  /** Un-parks them: the next sync sends them again. Returns how many. */
  retry(filter?: DeadLetterFilter): Promise<number>;
  /** Gives up on them: they leave the list, and stay unsent until the record's desired state changes. */
  discard(filter?: DeadLetterFilter): Promise<number>;
  /** Erasure: letters of this key or these profiles hold the raw record, so they go entirely. */
  purge(recordKey: string, profileIds: readonly string[]): Promise<number>;
}

function where(filter: DeadLetterFilter): { sql: string; parameters: Array<string | number> } {
  const clauses: string[] = [];
  const parameters: Array<string | number> = [];
  if (filter.sinkId !== undefined) {
    clauses.push('sink_id = ?');
    parameters.push(filter.sinkId);
  }
  if (filter.id !== undefined) {
    clauses.push('id = ?');
    parameters.push(filter.id);
  }
  return { sql: clauses.map((clause) => ` AND ${clause}`).join(''), parameters };
}

export function createDeadLetters(sql: SqlClient, now: () => number, cipher: FieldCipher): DeadLetters {
  const resolve = async (resolution: 'retried' | 'discarded', filter: DeadLetterFilter) => {
    const condition = where(filter);
    const result = await sql.run(`UPDATE dead_letters SET resolved_at = ?, resolution = ? WHERE resolved_at IS NULL${condition.sql}`, [new Date(now()).toISOString(), resolution, ...condition.parameters]);
    return result.changes;
  };
  return {
    async open(filter = {}) {
      const condition = where(filter);
      const rows = await sql.all<{ id: number | string; account: string; sink_id: string; run_id: string; profile_id: string; record_key: string; op: string; list_key: string | null; error_code: string; error_message: string; failed_at: string }>(
        `SELECT id, account, sink_id, run_id, profile_id, record_key, op, list_key, error_code, error_message, failed_at FROM dead_letters WHERE resolved_at IS NULL${condition.sql} ORDER BY sink_id, id`, condition.parameters);
      return rows.map((row) => ({
        id: Number(row.id), account: row.account, sinkId: row.sink_id, runId: row.run_id, profileId: row.profile_id, recordKey: cipher.open(row.record_key, DEAD_LETTER_KEY, `dead letter ${String(row.id)}`),
        op: row.op, listKey: row.list_key, errorCode: row.error_code, errorMessage: row.error_message, failedAt: row.failed_at,
      }));
    },
    retry: (filter = {}) => resolve('retried', filter),
    discard: (filter = {}) => resolve('discarded', filter),
    purge: (recordKey, profileIds) =>
      sql.transaction(async (tx) => {
        let removed = (await tx.run('DELETE FROM dead_letters WHERE record_key = ?', [recordKey])).changes;
        // A sealed key never equals the raw one (random nonce): open each and compare. Erasure is rare, dead letters few.
        const sealed = await tx.all<{ id: number | string; record_key: string }>(`SELECT id, record_key FROM dead_letters WHERE substr(record_key, 1, ${ENVELOPE_PREFIX.length}) = '${ENVELOPE_PREFIX}'`);
        for (const row of sealed) {
          if (cipher.open(row.record_key, DEAD_LETTER_KEY, `dead letter ${String(row.id)}`) === recordKey) removed += (await tx.run('DELETE FROM dead_letters WHERE id = ?', [row.id])).changes;
        }
        for (const profileId of profileIds) removed += (await tx.run('DELETE FROM dead_letters WHERE profile_id = ?', [profileId])).changes;
        return removed;
      }),
  };
}
