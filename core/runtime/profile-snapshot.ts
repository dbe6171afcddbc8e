import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ProfileApiConfig, ServedFeatureConfig } from '../config/serve-schema.js';
import { sqlIdentifier, sqlString } from '../features/sql-quote.js';
import { loadMappingSuppressions } from '../privacy/suppressions.js';
import { consentCovers, consentPolicyOf, DEFAULT_CONSENT_POLICY, readConsent, type ConsentPolicy, type ConsentReading } from '../privacy/consent-decision.js';
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
 * no segments or features here at all, and a field (a feature, the segments
 * list) whose own consent is not covered is not copied for that profile
 * (consent-decision.ts, with the mapping's privacy.consent.required);
 * erased profiles are left out.
 * Returns null before the first run (no segments yet).
 */
export async function loadProfileSnapshot(workspace: Workspace, config: ProfileApiConfig, runId: string | null = null): Promise<ProfileSnapshot | null> {
  if (!workspace.hasEvents()) return null;
  const duck = (await workspace.events()).connection;
  const tables = await tableNames(duck);
  if (!['identity_map', 'features', 'segments', 'segment_members'].every((table) => tables.has(table))) return null;

  const columns = await featureColumns(duck);
  const fields = servedFields(config);
  const served = fields.features.filter((feature) => columns.has(feature.name));
  const missingFeatures = fields.features.filter((feature) => !columns.has(feature.name)).map((feature) => feature.name);
  const policy = consentPolicyOf(workspace.mapping);
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
      ${served.map((feature) => `, f.${sqlIdentifier(feature.name)}`).join('')}
    FROM features f LEFT JOIN latest l USING (profile_id) LEFT JOIN memberships s USING (profile_id)`);
  const byProfile = new Map<string, ServedProfile>();
  const byKey = new Map<string, ServedProfile>();
  for (const row of reader.getRowsJS()) {
    const [profileId, consent, emailHash, segmentIds] = row as [string, string | null, string | null, string[] | null];
    if (suppressed.size > 0 && suppressed.has(`profile:${profileId}`)) continue;
    const reading = readConsent(consent);
    const profile = consentCovers(reading, config.consent_categories, policy)
      ? servedProfile(profileId, segmentIds ?? [], segmentRefs, { features: served, segmentsConsent: fields.segmentsConsent }, row.slice(4), reading, policy)
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

/** The profile API's fields with their consent categories (a plain feature name needs none of its own). */
export interface ServedFields {
  features: ReadonlyArray<{ name: string; consent: readonly string[] }>;
  segmentsConsent: readonly string[];
}

export function servedFields(config: Pick<ProfileApiConfig, 'features' | 'segments'>): ServedFields {
  const feature = (entry: ServedFeatureConfig) => (typeof entry === 'string' ? { name: entry, consent: [] } : { name: entry.name, consent: entry.consent ?? [] });
  return { features: config.features.map(feature), segmentsConsent: config.segments?.consent ?? [] };
}

/** One profile's answer: each field kept only when the profile's consent covers it (pure). */
export function servedProfile(
  profileId: string, segmentIds: readonly string[], refs: ReadonlyMap<string, SegmentRef>, fields: ServedFields, values: readonly unknown[],
  reading: ConsentReading = { kind: 'none' }, policy: ConsentPolicy = DEFAULT_CONSENT_POLICY,
): ServedProfile {
  const withheldFields: string[] = [];
  const features: Record<string, FeatureValue> = {};
  fields.features.forEach((feature, index) => {
    if (consentCovers(reading, feature.consent, policy)) features[feature.name] = featureValue(values[index]);
    else withheldFields.push(feature.name);
  });
  const segmentsAllowed = consentCovers(reading, fields.segmentsConsent, policy);
  if (!segmentsAllowed) withheldFields.unshift('segments');
  const segments = segmentsAllowed ? segmentIds.map((id) => refs.get(id)).filter((ref): ref is SegmentRef => ref !== undefined) : undefined;
  return {
    profileId: opaqueProfileId(profileId),
    ...(segments !== undefined ? { segments } : {}),
    features,
    ...(withheldFields.length > 0 ? { withheldFields } : {}),
  };
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
