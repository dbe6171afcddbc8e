import type { DuckDBConnection } from '@duckdb/node-api';
import type { StateStore } from '../store/state/state-store.js';

/**
 * Erasure in the local stores, in two steps so the suppression can be made
 * durable in between: `findPerson` (find-person.ts) names every profile the
 * request's identifier resolves to and every identifier and e-mail they
 * were seen by; `eraseProfiles` deletes their events, identity links,
 * features, segment memberships and quarantined rows (one DuckDB
 * transaction), then their identity nodes (one state-store transaction
 * after it: a crash between the two leaves identity links without events,
 * which a repeated forget removes). The bytes are made to go away
 * afterwards (physical-erasure.ts).
 */
export interface ErasureTarget {
  profileIds: string[];
  /** The raw userIds and anonymousIds of those profiles (identity keys without their `u:` / `a:`). */
  identifiers: string[];
  /** The e-mails (trimmed, lowercased) on their events, and the requested one: quarantined samples are matched on them. */
  emails: string[];
}

export async function eraseProfiles(duck: DuckDBConnection, state: StateStore, target: ErasureTarget): Promise<{ profiles: number; events: number; quarantined: number }> {
  await duck.run('BEGIN TRANSACTION');
  try {
    await tempColumn(duck, 'erase_profiles', 'profile_id', target.profileIds);
    await duck.run('CREATE OR REPLACE TEMP TABLE erase_keys AS SELECT id_key FROM identity_map WHERE profile_id IN (SELECT profile_id FROM erase_profiles)');
    // Quarantined rows hold the raw record: any sample quoting one of their identifiers goes, as does one with the email.
    await tempColumn(duck, 'erase_quoted', 'quoted', quarantineTerms(target));
    const counted = await duck.runAndReadAll(`SELECT (SELECT count(*) FROM erase_profiles), (SELECT count(*) FROM events WHERE id_key IN (SELECT id_key FROM erase_keys)),
      (SELECT count(*) FROM quarantine q WHERE ${QUARANTINE_MATCH})`);
    const [profiles, events, quarantined] = (counted.getRows()[0] ?? [0, 0, 0]).map(Number) as [number, number, number];
    await duck.run('DELETE FROM events WHERE id_key IN (SELECT id_key FROM erase_keys)');
    await duck.run(`DELETE FROM quarantine q WHERE ${QUARANTINE_MATCH}`);
    for (const table of ['features', 'features_previous', 'segment_members', 'trigger_segment_baseline']) {
      const exists = await duck.runAndReadAll(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = '${table}'`);
      if (Number(exists.getRows()[0]?.[0] ?? 0) > 0) await duck.run(`DELETE FROM ${table} WHERE profile_id IN (SELECT profile_id FROM erase_profiles)`);
    }
    await duck.run('DELETE FROM identity_map WHERE id_key IN (SELECT id_key FROM erase_keys)');
    await duck.run('COMMIT');
    for (const table of ['erase_profiles', 'erase_keys', 'erase_quoted']) await duck.run(`DROP TABLE IF EXISTS ${table}`);
    // Every identifier of those profiles (devices included) leaves the identity graph.
    await state.identity.removeProfiles(target.profileIds);
    await state.actions.eraseProfiles(target.profileIds);
    return { profiles, events, quarantined };
  } catch (error) {
    await duck.run('ROLLBACK');
    throw error;
  }
}

const QUARANTINE_MATCH = 'EXISTS (SELECT 1 FROM erase_quoted x WHERE contains(lower(q.sample), x.quoted))';

/** A one-column temp table of a few values, bound one by one (no quoting of identifiers into SQL). */
async function tempColumn(duck: DuckDBConnection, table: string, column: string, values: readonly string[]): Promise<void> {
  await duck.run(`CREATE OR REPLACE TEMP TABLE ${table} (${column} VARCHAR)`);
  for (const value of values) await duck.run(`INSERT INTO ${table} VALUES ($1)`, [value]);
}

/** What marks a sample as the person's: an e-mail anywhere in it, or one of their identifiers quoted (a bare id could be part of another). */
function quarantineTerms(target: ErasureTarget): string[] {
  return [...target.emails, ...target.identifiers.map((identifier) => `"${identifier.toLowerCase()}"`)];
}

/** The rule of QUARANTINE_MATCH, for quarantine files and journals. */
export function quarantineMatcher(target: ErasureTarget): (sample: string) => boolean {
  const terms = quarantineTerms(target);
  return (sample) => {
    const lower = sample.toLowerCase();
    return terms.some((term) => lower.includes(term));
  };
}
