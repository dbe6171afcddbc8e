import type { DuckDBConnection } from '@duckdb/node-api';
import type { ExperimentConfig } from '../config/analysis-schema.js';
import type { SinkMapping } from '../config/sink-schema.js';
import { armOf, resolveAssignment } from '../analysis/experiments/index.js';
import { sqlIdentifier, sqlString } from '../features/sql-quote.js';
import type { DesiredRecord } from './planner.js';
import { suppressionCheck, type SuppressionCheck } from '../privacy/suppressions.js';
import { consentAllowsJson, DEFAULT_CONSENT_POLICY, type ConsentPolicy } from '../privacy/consent-decision.js';
import type { PropertyValue, SinkPropertySpec, SinkSchemaSpec } from './sink.js';

/**
 * What a sink should hold, read from the run's tables (features, segments,
 * segment_members, events' latest traits and consent). Decisions that need
 * no database (naming lists, building property values) are pure functions
 * below, so they are tested without DuckDB.
 */
export interface SegmentInfo {
  id: string;
  name: string;
  segmentation: string;
}

export interface ExcludedCounts {
  noKey: number;
  noConsent: number;
  sharedKey: number;
  suppressed: number;
}

export interface DesiredState {
  records: DesiredRecord[];
  spec: SinkSchemaSpec;
  /** Profiles left out, by reason (no email, consent withheld, same key as a more recent profile, erasure requested). */
  excluded: ExcludedCounts;
  /**
   * Profiles left out because their consent does not cover the sink: the
   * planner removes them from segflow's lists and clears segflow's values
   * in every mode, additive too (PlanInput.isWithoutConsent), as a withdrawal requires.
   */
  withoutConsent: ReadonlySet<string>;
}

export async function loadSegments(duck: DuckDBConnection): Promise<SegmentInfo[]> {
  const reader = await duck.runAndReadAll('SELECT segment_id, name, segmentation FROM segments ORDER BY segmentation, segment_id');
  return reader.getRows().map(([id, name, segmentation]) => ({ id: String(id), name: String(name), segmentation: String(segmentation) }));
}

/** Segment ids a reference names: a segment id itself, or every segment of a segmentation. */
export function expandSegmentRef(reference: string, segments: readonly SegmentInfo[]): SegmentInfo[] {
  const exact = segments.filter((segment) => segment.id === reference);
  return exact.length > 0 ? exact : segments.filter((segment) => segment.segmentation === reference);
}

/**
 * Option names for a multi-value property over several segmentations: two
 * segments may share a name ("New customers" from RFM and from k-means), and
 * vendors key options by a slug of the name, so clashing names get their
 * segmentation appended: "New customers (rfm)", "New customers (behavior)".
 */
export function optionNames(segments: readonly SegmentInfo[]): Map<string, string> {
  const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '');
  const counts = new Map<string, number>();
  for (const segment of segments) counts.set(slug(segment.name), (counts.get(slug(segment.name)) ?? 0) + 1);
  return new Map(segments.map((segment) => [segment.id, (counts.get(slug(segment.name)) ?? 0) > 1 ? `${segment.name} (${segment.segmentation})` : segment.name]));
}

function inScope(source: { segments: 'all' | string[] }, segments: readonly SegmentInfo[]): SegmentInfo[] {
  return source.segments === 'all' ? [...segments] : source.segments.flatMap((reference) => expandSegmentRef(reference, segments));
}

export function schemaSpec(mapping: SinkMapping, segments: readonly SegmentInfo[]): SinkSchemaSpec {
  const properties: SinkPropertySpec[] = Object.entries(mapping.properties).map(([name, source]) => {
    const label = name.replace(/_/g, ' ').replace(/^\w/, (letter) => letter.toUpperCase());
    if ('segments' in source) {
      const names = optionNames(inScope(source, segments));
      return { name, label, type: 'enumeration', multiple: true, options: unique([...names.values()]) };
    }
    if ('segment_of' in source) {
      return { name, label, type: 'enumeration', options: unique(expandSegmentRef(source.segment_of, segments).map((segment) => segment.name)) };
    }
    if ('feature' in source) return { name, label, type: 'number' };
    if ('holdout' in source) return { name, label, type: 'enumeration', options: ['treatment', 'holdout'] };
    return { name, label, type: 'string' };
  });
  return { properties, lists: listTargets(mapping, segments) };
}

export function listTargets(mapping: SinkMapping, segments: readonly SegmentInfo[]): Array<{ key: string; name: string }> {
  const targets = new Map<string, string>();
  for (const list of mapping.lists) {
    for (const segment of expandSegmentRef(list.segment, segments)) targets.set(segment.id, list.name ?? `segflow: ${segment.name}`);
  }
  return [...targets].map(([key, name]) => ({ key, name }));
}

interface ProfileRow {
  profileId: string;
  key: string | null;
  consent: string | null;
  segmentIds: readonly string[];
  features: Readonly<Record<string, number | null>>;
  traits: Readonly<Record<string, string | null>>;
}

/** Builds one record's desired properties and lists from its row (pure). */
export function desiredRecord(row: ProfileRow & { key: string }, mapping: SinkMapping, segments: readonly SegmentInfo[], experiments: readonly ExperimentConfig[] = []): DesiredRecord {
  return recordBuilder(mapping, segments, experiments)(row);
}

/**
 * The per-mapping work (segment lookups, option names, list keys) done once;
 * the returned function runs per profile, up to millions of times.
 */
function recordBuilder(mapping: SinkMapping, segments: readonly SegmentInfo[], experiments: readonly ExperimentConfig[]): (row: ProfileRow & { key: string }) => DesiredRecord {
  const byId = new Map(segments.map((segment) => [segment.id, segment]));
  const sources = Object.entries(mapping.properties).map(([name, source]) => ({
    name,
    source,
    optionNames: 'segments' in source ? optionNames(inScope(source, segments)) : undefined,
    holdout: 'holdout' in source ? experiments.filter((experiment) => experiment.id === source.holdout).map((experiment) => resolveAssignment(experiment, segments))[0] : undefined,
  }));
  const listKeys = new Set(listTargets(mapping, segments).map((target) => target.key));
  return (row) => {
    const member = row.segmentIds.map((id) => byId.get(id)).filter((segment): segment is SegmentInfo => segment !== undefined);
    const properties: Record<string, PropertyValue> = {};
    for (const { name, source, optionNames: names, holdout } of sources) {
      if (names) {
        const values = unique(member.filter((segment) => names.has(segment.id)).map((segment) => names.get(segment.id) as string)).sort();
        properties[name] = values.length > 0 ? values.join(';') : null;
      } else if ('segment_of' in source) {
        properties[name] = member.find((segment) => segment.segmentation === source.segment_of)?.name ?? null;
      } else if ('feature' in source) {
        const value = row.features[source.feature];
        properties[name] = value === null || value === undefined || !Number.isFinite(value) ? null : Math.round(value * 1e6) / 1e6;
      } else if ('trait' in source) {
        properties[name] = row.traits[source.trait] ?? null;
      } else if ('holdout' in source) {
        properties[name] = holdout ? armOf(holdout, row.profileId, row.segmentIds) : null;
      }
    }
    return { profileId: row.profileId, key: row.key, properties, lists: new Set(row.segmentIds.filter((id) => listKeys.has(id))) };
  };
}

/** Segment Consent Management semantics (core/privacy/consent-decision.ts): every category must be granted. */
export function consentAllows(consentJson: string | null, categories: readonly string[], policy: ConsentPolicy = DEFAULT_CONSENT_POLICY): boolean {
  return consentAllowsJson(consentJson, categories, policy);
}

/** Trait-based keys are trimmed; emails are lowercased (vendors match case-insensitively, duplicates otherwise). */
export function normalizeKey(identifyBy: string, value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  return identifyBy === 'email' ? trimmed.toLowerCase() : trimmed;
}

export async function loadDesiredState(duck: DuckDBConnection, mapping: SinkMapping, segments: readonly SegmentInfo[], suppressed: SuppressionCheck = suppressionCheck(new Set()), experiments: readonly ExperimentConfig[] = [], consentPolicy: ConsentPolicy = DEFAULT_CONSENT_POLICY): Promise<DesiredState> {
  const consentCategories = mapping.consent_categories;
  const traitNames = unique([
    ...(mapping.identify_by === 'profile_id' || mapping.identify_by === 'user_id' ? [] : [mapping.identify_by]),
    ...Object.values(mapping.properties).flatMap((source) => ('trait' in source ? [source.trait] : [])),
  ]);
  const featureNames = unique(Object.values(mapping.properties).flatMap((source) => ('feature' in source ? [source.feature] : [])));
  const traitColumns = traitNames.map((trait, index) =>
    `arg_max(json_extract_string(e.traits, ${sqlString(`$.${JSON.stringify(trait)}`)}), e.ts) FILTER (WHERE json_extract_string(e.traits, ${sqlString(`$.${JSON.stringify(trait)}`)}) IS NOT NULL) AS t${index}`);
  const sql = `
    WITH latest AS (
      SELECT m.profile_id, max(e.ts) AS last_ts,
        arg_max(e.consent, e.ts) FILTER (WHERE e.consent IS NOT NULL) AS consent
        ${traitColumns.map((column) => `, ${column}`).join('')}
      FROM events e JOIN identity_map m ON m.id_key = e.id_key GROUP BY m.profile_id),
    memberships AS (SELECT profile_id, list(segment_id ORDER BY segment_id) AS segment_ids FROM segment_members GROUP BY profile_id)
    SELECT f.profile_id, l.last_ts, l.consent, coalesce(s.segment_ids, []::VARCHAR[]) AS segment_ids
      ${traitNames.map((_, index) => `, l.t${index}`).join('')}
      ${featureNames.map((name) => `, f.${sqlIdentifier(name)}::DOUBLE`).join('')}
    FROM features f LEFT JOIN latest l USING (profile_id) LEFT JOIN memberships s USING (profile_id)
    ORDER BY l.last_ts DESC NULLS LAST, f.profile_id`;
  const reader = await duck.runAndReadAll(sql);
  const excluded: ExcludedCounts = { noKey: 0, noConsent: 0, sharedKey: 0, suppressed: 0 };
  const withdrawn = new Set<string>();
  const build = recordBuilder(mapping, segments, experiments);
  const seenKeys = new Set<string>();
  const records: DesiredRecord[] = [];
  for (const values of reader.getRows()) {
    const [profileId, , consent, segmentIds] = values as [string, unknown, string | null, string[] | { items: string[] }];
    const traits: Record<string, string | null> = {};
    traitNames.forEach((trait, index) => (traits[trait] = (values[4 + index] as string | null) ?? null));
    const features: Record<string, number | null> = {};
    featureNames.forEach((name, index) => {
      const value = values[4 + traitNames.length + index];
      features[name] = value === null || value === undefined ? null : Number(value);
    });
    const rawKey = mapping.identify_by === 'profile_id' ? profileId
      : mapping.identify_by === 'user_id' ? (profileId.startsWith('u:') ? profileId.slice(2) : null)
        : (traits[mapping.identify_by] ?? null);
    const key = normalizeKey(mapping.identify_by, rawKey);
    if (key === null) {
      excluded.noKey += 1;
      continue;
    }
    if (suppressed.size > 0 && (suppressed.has(key) || suppressed.has(`profile:${profileId}`))) {
      excluded.suppressed += 1;
      continue;
    }
    if (!consentAllows(consent, consentCategories, consentPolicy)) {
      excluded.noConsent += 1;
      withdrawn.add(profileId);
      continue;
    }
    // Rows come most recent first: the profile seen last keeps a shared email.
    if (seenKeys.has(key)) {
      excluded.sharedKey += 1;
      continue;
    }
    seenKeys.add(key);
    const ids = Array.isArray(segmentIds) ? segmentIds : segmentIds.items;
    records.push(build({ profileId, key, consent, segmentIds: ids.map(String), features, traits }));
  }
  return { records, spec: schemaSpec(mapping, segments), excluded, withoutConsent: withdrawn };
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
