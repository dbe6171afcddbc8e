import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * `mid_hash`, the 8-byte key duplicate checks scan instead of message ids.
 * DuckDB's hash() is ~7x cheaper than md5 but may change between DuckDB
 * versions, and stored hashes that stop matching would let re-read events in
 * twice. So the store records which DuckDB computed its hashes and recomputes
 * them all, once, when that changes.
 */
export const MESSAGE_HASH_SQL = (column: string) => `hash(${column})`;

export async function ensureMessageHashes(connection: DuckDBConnection): Promise<void> {
  await connection.run('CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)');
  const version = String((await connection.runAndReadAll('SELECT version()')).getRows()[0]?.[0]);
  const stored = (await connection.runAndReadAll("SELECT value FROM store_meta WHERE key = 'mid_hash'")).getRows()[0]?.[0];
  const current = `duckdb-hash@${version}`;
  if (stored === current) return;
  await connection.run('BEGIN TRANSACTION');
  try {
    if (stored !== undefined) await connection.run(`UPDATE events SET mid_hash = ${MESSAGE_HASH_SQL('message_id')}`);
    await connection.run("INSERT OR REPLACE INTO store_meta VALUES ('mid_hash', $1)", [current]);
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
}
