import type { SqlClient } from '../sql/sql-client.js';

/**
 * Named leases in the state store: one holder at a time, for `ttlMs` unless
 * renewed. A holder that dies (kill -9) loses its lease when it expires, so
 * nobody waits forever on a dead process. Used to keep two processes from
 * syncing the same mapping at once; later, to partition accounts between workers.
 */
export interface Locks {
  /** True when `owner` now holds `name` (taken, renewed, or taken over after expiry). */
  acquire(name: string, owner: string, ttlMs: number, now: number): Promise<boolean>;
  release(name: string, owner: string): Promise<void>;
  holder(name: string, now: number): Promise<string | undefined>;
}

export function createLocks(sql: SqlClient): Locks {
  return {
    // One statement, so two processes racing for a free lock cannot both win (the loser's WHERE fails).
    acquire: async (name, owner, ttlMs, now) => {
      const result = await sql.run(`INSERT INTO locks (name, owner, expires_at) VALUES (?, ?, ?)
        ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
        WHERE locks.owner = excluded.owner OR locks.expires_at <= ?`, [name, owner, now + ttlMs, now]);
      return result.changes > 0;
    },
    async release(name, owner) {
      await sql.run('DELETE FROM locks WHERE name = ? AND owner = ?', [name, owner]);
    },
    async holder(name, now) {
      const held = await sql.get<{ owner: string; expires_at: number | string }>('SELECT owner, expires_at FROM locks WHERE name = ?', [name]);
      return held && Number(held.expires_at) > now ? held.owner : undefined;
    },
  };
}
