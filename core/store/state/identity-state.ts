import type { SqlClient } from '../sql/sql-client.js';
import type { MetaState } from './meta-state.js';

/**
 * The persisted identity graph: which profile each identifier (`u:`, `a:`,
 * `d:`) belongs to, the merges that happened, and how far into the event
 * store stitching has read. A stitch commits its links and its cursor
 * together, so a crash re-reads exactly the events it had not stored.
 */
export interface IdentityState {
  nodes(): Promise<Array<{ identifier: string; profileId: string }>>;
  /** The event `seq` up to which links are stored. */
  lastSeq(): Promise<number>;
  save(update: { assignments: ReadonlyArray<readonly [string, string]>; merges: ReadonlyArray<{ from: string; into: string }>; runId: string; at: string; lastSeq: number }): Promise<void>;
  /** Erasure: every identifier of these profiles leaves the graph. */
  removeProfiles(profileIds: readonly string[]): Promise<number>;
}

const SEQ_KEY = 'identity.last_seq';

export function createIdentityState(sql: SqlClient, meta: MetaState): IdentityState {
  return {
    async nodes() {
      const rows = await sql.all<{ identifier: string; profile_id: string }>('SELECT identifier, profile_id FROM identity_nodes');
      return rows.map((row) => ({ identifier: row.identifier, profileId: row.profile_id }));
    },
    async lastSeq() {
      return Number((await meta.get(SEQ_KEY)) ?? '0');
    },
    async save(update) {
      await sql.transaction(async (tx) => {
        await tx.runBatch('INSERT INTO identity_nodes (identifier, profile_id) VALUES (?, ?) ON CONFLICT (identifier) DO UPDATE SET profile_id = excluded.profile_id', update.assignments);
        await tx.runBatch('INSERT INTO identity_merges (run_id, from_profile, into_profile, at) VALUES (?, ?, ?, ?)', update.merges.map((merge) => [update.runId, merge.from, merge.into, update.at]));
        await meta.set(SEQ_KEY, String(update.lastSeq), tx);
      });
    },
    async removeProfiles(profileIds) {
      if (profileIds.length === 0) return 0;
      return sql.transaction(async (tx) => {
        let removed = 0;
        for (const profileId of profileIds) removed += (await tx.run('DELETE FROM identity_nodes WHERE profile_id = ?', [profileId])).changes;
        return removed;
      });
    },
  };
}
