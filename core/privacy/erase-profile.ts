import type { DuckDBConnection } from '@duckdb/node-api';
import type { StateStore } from '../store/state/state-store.js';

/**
 * Erasure in the local stores: every profile that ever carried this email
 * (identify traits) loses its events, identity links, features and segment
 * memberships. One DuckDB transaction; the identity nodes go in one state-store
 * transaction after it (a crash between the two leaves identity links
 * without events, which carry no personal data and a repeated forget removes). Returns how much went.
 */
export async function eraseProfilesByEmail(duck: DuckDBConnection, state: StateStore, email: string): Promise<{ profiles: number; events: number; profileIds: string[] }> {
  await duck.run('BEGIN TRANSACTION');
  try {
    await duck.run(`CREATE OR REPLACE TEMP TABLE erase_profiles AS
      SELECT DISTINCT m.profile_id FROM events e JOIN identity_map m ON m.id_key = e.id_key
      WHERE lower(trim(json_extract_string(e.traits, '$.email'))) = $1`, [email]);
    await duck.run('CREATE OR REPLACE TEMP TABLE erase_keys AS SELECT id_key FROM identity_map WHERE profile_id IN (SELECT profile_id FROM erase_profiles)');
    const counted = await duck.runAndReadAll('SELECT (SELECT count(*) FROM erase_profiles), (SELECT count(*) FROM events WHERE id_key IN (SELECT id_key FROM erase_keys))');
    const [profiles, events] = (counted.getRows()[0] ?? [0, 0]).map(Number) as [number, number];
    await duck.run('DELETE FROM events WHERE id_key IN (SELECT id_key FROM erase_keys)');
    for (const table of ['features', 'features_previous', 'segment_members']) {
      const exists = await duck.runAndReadAll(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = '${table}'`);
      if (Number(exists.getRows()[0]?.[0] ?? 0) > 0) await duck.run(`DELETE FROM ${table} WHERE profile_id IN (SELECT profile_id FROM erase_profiles)`);
    }
    const erased = (await duck.runAndReadAll('SELECT profile_id FROM erase_profiles')).getRows().map(([profile]) => String(profile));
    await duck.run('DELETE FROM identity_map WHERE id_key IN (SELECT id_key FROM erase_keys)');
    await duck.run('COMMIT');
    // Every identifier of those profiles (devices included) leaves the identity graph.
    await state.identity.removeProfiles(erased);
    return { profiles, events, profileIds: erased };
  } catch (error) {
    await duck.run('ROLLBACK');
    throw error;
  }
}
