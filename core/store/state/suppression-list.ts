import type { SqlClient } from '../sql/sql-client.js';

/**
 * Erasure requests, as hashes of normalized keys only (core/privacy/suppressions.ts
 * makes the hash): the list itself holds no PII.
 */
export interface SuppressionList {
  /** False when the hash was already listed. */
  add(keyHash: string, reason: string): Promise<boolean>;
  hashes(): Promise<Set<string>>;
  /** Every hash with when it was requested (an export); no reasons, which name requests. */
  entries(): Promise<Array<{ keyHash: string; requestedAt: string }>>;
}

export function createSuppressionList(sql: SqlClient, now: () => number): SuppressionList {
  return {
    async add(keyHash, reason) {
      const result = await sql.run('INSERT INTO suppressions (key_hash, reason, requested_at) VALUES (?, ?, ?) ON CONFLICT (key_hash) DO NOTHING', [keyHash, reason, new Date(now()).toISOString()]);
      return result.changes > 0;
    },
    async hashes() {
      const rows = await sql.all<{ key_hash: string }>('SELECT key_hash FROM suppressions');
      return new Set(rows.map((row) => row.key_hash));
    },
    async entries() {
      const rows = await sql.all<{ key_hash: string; requested_at: string }>('SELECT key_hash, requested_at FROM suppressions ORDER BY requested_at, key_hash');
      return rows.map((row) => ({ keyHash: row.key_hash, requestedAt: String(row.requested_at) }));
    },
  };
}
