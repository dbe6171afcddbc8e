import type { DuckDBConnection } from '@duckdb/node-api';
import type { AudienceSegmentationConfig } from '../config/mapping-schema.js';
import { sqlString } from '../features/sql-quote.js';

/**
 * External memberships (Segment Engage audiences, Mixpanel cohorts) as
 * segments: per profile and audience key, the latest signal by event time
 * decides (ties by ingestion order). Signals are Engage's two shapes:
 * - track `Audience Entered` / `Audience Exited` with `properties.audience_key`;
 * - identify with a boolean trait named after the audience (`{vip: true}`),
 *   read only for keys the mapping lists: an arbitrary boolean trait is not
 *   an audience, and the store keeps traits, not `context.personas`.
 * A profile that entered and later exited is not a member; one whose exit
 * arrives late but is older than a later entry stays one.
 */
export function audienceSignalsSql(config: AudienceSegmentationConfig): string {
  const key = `json_extract_string(e.properties, ${sqlString(`$.${jsonKey(config.key_property)}`)})`;
  const listed = config.audiences ?? [];
  const keyFilter = listed.length > 0 ? `AND ${key} IN (${listed.map(sqlString).join(', ')})` : '';
  const parts = [`
    SELECT m.profile_id, ${key} AS audience_key, e.ts, e.seq, e.event = ${sqlString(config.entered_event)} AS member
    FROM events e JOIN identity_map m ON m.id_key = e.id_key
    WHERE e.type = 'track' AND e.event IN (${sqlString(config.entered_event)}, ${sqlString(config.exited_event)}) AND ${key} IS NOT NULL ${keyFilter}`];
  for (const audience of listed) {
    const trait = `json_extract(e.traits, ${sqlString(`$.${jsonKey(audience)}`)})`;
    parts.push(`
    SELECT m.profile_id, ${sqlString(audience)}, e.ts, e.seq, CAST(${trait} AS VARCHAR) = 'true'
    FROM events e JOIN identity_map m ON m.id_key = e.id_key
    WHERE e.type = 'identify' AND e.traits IS NOT NULL AND json_type(${trait}) = 'BOOLEAN'`);
  }
  return `
    SELECT profile_id, audience_key, member FROM (${parts.join('\n    UNION ALL')})
    QUALIFY row_number() OVER (PARTITION BY profile_id, audience_key ORDER BY ts DESC, seq DESC) = 1`;
}

/** Writes the segmentation's segments and members into the staging tables build-segments swaps in. */
export async function buildAudienceSegments(duck: DuckDBConnection, config: AudienceSegmentationConfig): Promise<void> {
  await duck.run(`CREATE OR REPLACE TEMP TABLE audience_state AS ${audienceSignalsSql(config)}`);
  const keys = config.audiences ?? (await duck.runAndReadAll('SELECT DISTINCT audience_key FROM audience_state ORDER BY 1')).getRows().map((row) => String(row[0]));
  for (const key of keys) {
    const segmentId = `${config.id}/${key}`;
    await duck.run('INSERT INTO segments_next VALUES ($1, $2, $3, $4)', [segmentId, config.names[key] ?? key, config.id, 'audiences']);
  }
  await duck.run(`
    INSERT INTO segment_members_next
    SELECT ${sqlString(`${config.id}/`)} || audience_key, profile_id FROM audience_state
    WHERE member AND audience_key IN (SELECT substr(segment_id, ${config.id.length + 2}) FROM segments_next WHERE segmentation = ${sqlString(config.id)})`);
  await duck.run('DROP TABLE audience_state');
}

/** A JSON path member, quoted so keys with dots or spaces are one member. */
function jsonKey(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
