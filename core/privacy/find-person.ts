import type { DuckDBConnection } from '@duckdb/node-api';
import type { ErasureTarget } from './erase-profile.js';

/**
 * Who an erasure request names, resolved through the identity graph
 * (`identity_map`, published by stitching): the profiles carrying the
 * identifier, then every userId and anonymousId those profiles were seen
 * by and every e-mail on their events. So a request by one identifier
 * erases and suppresses all of them: a device id the person used before
 * logging in, the address they identified with.
 *
 * A request may also name the person by the hash the state's suppression
 * list keeps (core/privacy/suppressions.ts): requests that arrived through
 * the ingest API are kept that way until executed (requested-erasures.ts),
 * so no raw identifier waits in the state store.
 */
export type ErasureSelector =
  | { kind: 'email' | 'userId' | 'anonymousId'; value: string }
  | { kind: 'suppression-hash'; hashes: readonly string[] };

export interface PersonMatch extends ErasureTarget {
  /** How many of `identifiers` are userIds and anonymousIds (for the report; the values stay unprinted). */
  userIds: number;
  anonymousIds: number;
}

const NOBODY: PersonMatch = { profileIds: [], identifiers: [], emails: [], userIds: 0, anonymousIds: 0 };

export async function findPerson(duck: DuckDBConnection, selector: ErasureSelector): Promise<PersonMatch> {
  const profileIds = await matchingProfiles(duck, selector);
  if (profileIds.length === 0) return { ...NOBODY, emails: selector.kind === 'email' ? [selector.value] : [] };
  await duck.run('CREATE OR REPLACE TEMP TABLE find_profiles (profile_id VARCHAR)');
  for (const profile of profileIds) await duck.run('INSERT INTO find_profiles VALUES ($1)', [profile]);
  try {
    const keys = (await duck.runAndReadAll('SELECT DISTINCT id_key FROM identity_map WHERE profile_id IN (SELECT profile_id FROM find_profiles) ORDER BY 1')).getRows().map(([key]) => String(key));
    const emails = (await duck.runAndReadAll(`SELECT DISTINCT lower(trim(json_extract_string(e.traits, '$.email'))) AS email
      FROM events e JOIN identity_map m ON m.id_key = e.id_key
      WHERE m.profile_id IN (SELECT profile_id FROM find_profiles) AND coalesce(trim(json_extract_string(e.traits, '$.email')), '') <> '' ORDER BY 1`)).getRows().map(([email]) => String(email));
    if (selector.kind === 'email' && !emails.includes(selector.value)) emails.unshift(selector.value);
    return {
      profileIds,
      identifiers: keys.map((key) => key.replace(/^[ua]:/, '')),
      emails,
      userIds: keys.filter((key) => key.startsWith('u:')).length,
      anonymousIds: keys.filter((key) => key.startsWith('a:')).length,
    };
  } finally {
    await duck.run('DROP TABLE IF EXISTS find_profiles');
  }
}

async function matchingProfiles(duck: DuckDBConnection, selector: ErasureSelector): Promise<string[]> {
  const rows = async (sql: string, values: string[]) => (await duck.runAndReadAll(sql, values)).getRows().map(([profile]) => String(profile));
  switch (selector.kind) {
    case 'email':
      return rows(`SELECT DISTINCT m.profile_id FROM events e JOIN identity_map m ON m.id_key = e.id_key
        WHERE lower(trim(json_extract_string(e.traits, '$.email'))) = $1 ORDER BY 1`, [selector.value]);
    case 'userId':
      return rows('SELECT DISTINCT profile_id FROM identity_map WHERE id_key = $1 ORDER BY 1', [`u:${selector.value}`]);
    case 'anonymousId':
      return rows('SELECT DISTINCT profile_id FROM identity_map WHERE id_key = $1 ORDER BY 1', [`a:${selector.value}`]);
    case 'suppression-hash': {
      if (selector.hashes.length === 0) return [];
      // The same hash as suppressionHash() (sha256 of "segflow-suppression:<identifier>"), computed by DuckDB over the graph's keys.
      const placeholders = selector.hashes.map((_, index) => `$${index + 1}`).join(', ');
      return rows(`SELECT DISTINCT profile_id FROM identity_map WHERE sha256('segflow-suppression:' || substr(id_key, 3)) IN (${placeholders}) ORDER BY 1`, [...selector.hashes]);
    }
  }
}
