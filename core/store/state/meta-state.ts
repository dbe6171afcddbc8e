import type { SqlClient, SqlExecutor } from '../sql/sql-client.js';

/** Small named values: the identity graph's cursor, model identities, which mapping a state belongs to. */
export interface MetaState {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, tx?: SqlExecutor): Promise<void>;
  /** Several values in one transaction (model identities are remembered together). */
  setMany(entries: ReadonlyArray<readonly [string, string]>): Promise<void>;
}

const UPSERT = 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';

export function createMetaState(sql: SqlClient): MetaState {
  return {
    async get(key) {
      const row = await sql.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', [key]);
      return row?.value;
    },
    async set(key, value, tx) {
      await (tx ?? sql).run(UPSERT, [key, value]);
    },
    async setMany(entries) {
      if (entries.length === 0) return;
      await sql.transaction(async (tx) => {
        for (const [key, value] of entries) await tx.run(UPSERT, [key, value]);
      });
    },
  };
}
