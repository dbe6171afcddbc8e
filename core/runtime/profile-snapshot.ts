import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ProfileApiConfig } from '../config/serve-schema.js';
import { sqlIdentifier, sqlString } from '../features/sql-quote.js';
import { loadMappingSuppressions } from '../privacy/suppressions.js';
import { consentAllows } from '../sync/desired-state.js';
import type { FeatureValue, ProfileSnapshot, SegmentRef, ServedProfile } from './profile-lookup.js';
import type { Workspace } from './workspace.js';

/**
 * Copies what the profile API may serve out of the last run's tables
 * (identity_map, features, segments, segment_members, events' latest traits
 * and consent) into memory, once per run, so API reads never contend with
 * the loader for DuckDB. Call it inside the work queue. Only the listed
 * features are copied; emails are hashed inside DuckDB and never reach
 * this process's memory; responses carry an opaque profile id
 * (opaqueProfileId), not the userId; profiles whose consent does not cover the API keep
 * no segments or features here at all; erased profiles are left out.
 * Returns null before the first run (no segments yet).
 */
export async function loadProfileSnapshot(workspace: Workspace, config: ProfileApiConfig, runId: string | null = null): Promise<ProfileSnapshot | null> {
  if (!workspace.hasEvents()) return null;
  const duck = (await workspace.events()).connection;
  const tables = await tableNames(duck);
  if (!['identity_map', 'features', 'segments', 'segment_members'].every((table) => tables.has(table))) return null;

  const columns = await featureColumns(duck);
  const served = config.features.filter((name) => columns.has(name));
  const missingFeatures = config.features.filter((name) => !columns.has(name));
  const segmentRefs = new Map<string, SegmentRef>();
  for (const [id, name] of (await duck.runAndReadAll('SELECT segment_id, name FROM segments ORDER BY segment_id')).getRows()) {
    segmentRefs.set(String(id), Object.freeze({ id: String(id), name: String(name) }));
  }
  const suppressed = await loadMappingSuppressions(workspace);
  const emailPath = sqlString(`$.${JSON.stringify(config.email_trait)}`);
  // One row per profile: memberships, listed features, latest consent, and the hash of the latest email trait.
  const reader = await duck.runAndReadAll(`
    WITH latest AS (
      SELECT m.profile_id,
        arg_max(e.consent, e.ts) FILTER (WHERE e.consent IS NOT NULL) AS consent,
        sha256(lower(trim(arg_max(json_extract_string(e.traits, ${emailPath}), e.ts) FILTER (WHERE json_extract_string(e.traits, ${emailPath}) IS NOT NULL)))) AS email_hash
      FROM events e JOIN identity_map m ON m.id_key = e.id_key
      WHERE e.consent IS NOT NULL OR e.traits IS NOT NULL
      GROUP BY m.profile_id),
    memberships AS (SELECT profile_id, list(segment_id ORDER BY segment_id) AS segment_ids FROM segment_members GROUP BY profile_id)
    SELECT f.profile_id, l.consent, l.email_hash, coalesce(s.segment_ids, []::VARCHAR[]) AS segment_ids
      ${served.map((name) => `, f.${sqlIdentifier(name)}`).join('')}
    FROM features f LEFT JOIN latest l USING (profile_id) LEFT JOIN memberships s USING (profile_id)`);
  const byProfile = new Map<string, ServedProfile>();
  const byKey = new Map<string, ServedProfile>();
  for (const row of reader.getRowsJS()) {
    const [profileId, consent, emailHash, segmentIds] = row as [string, string | null, string | null, string[] | null];
    if (suppressed.size > 0 && suppressed.has(`profile:${profileId}`)) continue;
    const profile = consentAllows(consent, config.consent_categories)
      ? servedProfile(profileId, segmentIds ?? [], segmentRefs, served, row.slice(4))
      : { profileId: opaqueProfileId(profileId), withheld: 'consent' as const };
    byProfile.set(profileId, profile);
    if (emailHash !== null) byKey.set(`e:${emailHash}`, profile);
  }
  for (const [idKey, profileId] of (await duck.runAndReadAll('SELECT id_key, profile_id FROM identity_map')).getRows()) {
    const profile = byProfile.get(String(profileId));
    if (profile !== undefined) byKey.set(String(idKey), profile);
  }
  return { runId, builtAt: workspace.now(), byKey, profiles: byProfile.size, missingFeatures };
}

function servedProfile(profileId: string, segmentIds: readonly string[], refs: ReadonlyMap<string, SegmentRef>, names: readonly string[], values: readonly unknown[]): ServedProfile {
  const features: Record<string, FeatureValue> = {};
  names.forEach((name, index) => (features[name] = featureValue(values[index])));
  const segments = segmentIds.map((id) => refs.get(id)).filter((ref): ref is SegmentRef => ref !== undefined);
  return { profileId: opaqueProfileId(profileId), segments, features };
}

/**
 * The id a response carries. Internal profile ids are an identifier of the
 * profile (`u:<userId>`), so serving them would tell a caller who asked by
 * anonymousId or email hash the person's userId (often an email). A hash is
 * stable across runs (the profile keeps its id) and says only "same profile".
 */
export function opaqueProfileId(profileId: string): string {
  return `p_${createHash('sha256').update(`segflow-profile:${profileId}`).digest('hex').slice(0, 24)}`;
}

/** DuckDB's JS values as JSON: BIGINTs become numbers, NaN and ±Infinity null. */
export function featureValue(value: unknown): FeatureValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  const number = Number(String(value));
  return Number.isFinite(number) ? number : String(value);
}

async function tableNames(duck: DuckDBConnection): Promise<Set<string>> {
  const reader = await duck.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'");
  return new Set(reader.getRows().map(([name]) => String(name)));
}

async function featureColumns(duck: DuckDBConnection): Promise<Set<string>> {
  const reader = await duck.runAndReadAll("SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = 'features'");
  return new Set(reader.getRows().map(([name]) => String(name)));
}
