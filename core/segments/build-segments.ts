import type { DuckDBConnection } from '@duckdb/node-api';
import type { SegmentationConfig } from '../config/mapping-schema.js';
import { sqlString } from '../features/sql-quote.js';
import { parseRule, ruleToSql } from './index.js';
import { RFM_SEGMENTS } from './rfm-names.js';
import { rfmScoreSql } from './rfm-sql.js';
import { sqlIdentifier } from '../features/sql-quote.js';
import type { StateStore } from '../store/state/state-store.js';
import { buildAudienceSegments } from './audience-segments.js';
import { buildModelSegmentation, type ModelMemory, type ModelSegmentationSummary } from './model-segments.js';

export interface SegmentSummary {
  id: string;
  name: string;
  segmentation: string;
  model: SegmentationConfig['model'];
  size: number;
}

export interface SegmentsResult {
  segments: SegmentSummary[];
  /** One per model segmentation: k table, profiles, names and reasons, migration. */
  models: ModelSegmentationSummary[];
}

/**
 * Materializes every segmentation into `segment_members(segment_id,
 * profile_id)`. RFM runs first in mapping order and adds its scores to the
 * feature table, so later rule segments can use them (`rfm_segment = 'champions'`).
 */
export async function buildSegments(duck: DuckDBConnection, state: StateStore, segmentations: readonly SegmentationConfig[]): Promise<SegmentsResult> {
  // Which segmentations the last run stored members for: their migration matrix ("who moved where").
  const withMembers = await segmentationsWithMembers(duck);
  // Built into staging tables and swapped in at the end: a failing segmentation leaves the last
  // run's segments (what sync reads) and the models' stored identities untouched.
  await duck.run('CREATE OR REPLACE TABLE segments_next (segment_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, segmentation VARCHAR NOT NULL, model VARCHAR NOT NULL)');
  await duck.run('CREATE OR REPLACE TABLE segment_members_next (segment_id VARCHAR NOT NULL, profile_id VARCHAR NOT NULL)');
  const memory: Array<() => ModelMemory> = [];
  // RFM first, then models, then rules, whatever the mapping order: models may read RFM scores, rules may read both.
  const isModel = (item: SegmentationConfig) => item.model !== 'rfm' && item.model !== 'rules' && item.model !== 'audiences';
  const ordered = [...segmentations.filter((item) => item.model === 'rfm'), ...segmentations.filter(isModel), ...segmentations.filter((item) => item.model === 'rules'), ...segmentations.filter((item) => item.model === 'audiences')];
  const models: ModelSegmentationSummary[] = [];
  for (const segmentation of ordered) {
    if (segmentation.model === 'rfm') {
      await duck.run(rfmScoreSql({ id: segmentation.id, recency: segmentation.recency, frequency: segmentation.frequency, monetary: segmentation.monetary }));
      await duck.run('CREATE OR REPLACE TABLE features AS SELECT f.*, s.* EXCLUDE (profile_id) FROM features f LEFT JOIN rfm_scores s USING (profile_id) ORDER BY f.profile_id');
      const segmentColumn = sqlIdentifier(`${segmentation.id}_segment`);
      for (const named of RFM_SEGMENTS) {
        const segmentId = `${segmentation.id}/${named.slug}`;
        await duck.run('INSERT INTO segments_next VALUES ($1, $2, $3, $4)', [segmentId, named.name, segmentation.id, 'rfm']);
        await duck.run(`INSERT INTO segment_members_next SELECT ${sqlString(segmentId)}, profile_id FROM features WHERE ${segmentColumn} = ${sqlString(named.slug)}`);
      }
      await duck.run('DROP TABLE rfm_scores');
    } else if (segmentation.model === 'rules') {
      const parsed = parseRule(segmentation.rule);
      if (!parsed.ok) throw new Error(`segment "${segmentation.id}": ${parsed.errors.map((error) => error.message).join('; ')}`);
      await duck.run('INSERT INTO segments_next VALUES ($1, $2, $3, $4)', [segmentation.id, segmentation.name, segmentation.id, 'rules']);
      await duck.run(`INSERT INTO segment_members_next SELECT ${sqlString(segmentation.id)}, profile_id FROM features WHERE ${ruleToSql(parsed.ast, sqlIdentifier)}`);
    } else if (segmentation.model === 'audiences') {
      await buildAudienceSegments(duck, segmentation);
    } else {
      const built = await buildModelSegmentation(duck, state, segmentation, withMembers.has(segmentation.id));
      models.push(built.summary);
      if (built.remember) memory.push(built.remember);
    }
  }
  await duck.run('BEGIN TRANSACTION');
  await duck.run('DROP TABLE IF EXISTS segments');
  await duck.run('DROP TABLE IF EXISTS segment_members');
  await duck.run('ALTER TABLE segments_next RENAME TO segments');
  await duck.run('ALTER TABLE segment_members_next RENAME TO segment_members');
  await duck.run('COMMIT');
  // The models' identities (centroids, ids, names) are remembered only once their segments are in place.
  await state.meta.setMany(memory.map((remember) => remember()));
  const reader = await duck.runAndReadAll(`
    SELECT s.segment_id, s.name, s.segmentation, s.model, count(m.profile_id) AS size
    FROM segments s LEFT JOIN segment_members m USING (segment_id)
    GROUP BY ALL ORDER BY s.segmentation, size DESC, s.segment_id`);
  const segments = reader.getRows().map(([id, name, segmentationId, model, size]) => ({
    id: String(id), name: String(name), segmentation: String(segmentationId), model: model as SegmentationConfig['model'], size: Number(size),
  }));
  return { segments, models };
}

/** Segmentations the last run stored memberships for (their migration matrix is counted in SQL). */
async function segmentationsWithMembers(duck: DuckDBConnection): Promise<Set<string>> {
  const exists = await duck.runAndReadAll("SELECT count(*) FROM information_schema.tables WHERE table_name = 'segment_members' AND table_schema = 'main'");
  if (Number(exists.getRows()[0]?.[0] ?? 0) === 0) return new Set();
  const reader = await duck.runAndReadAll('SELECT DISTINCT s.segmentation FROM segment_members m JOIN segments s USING (segment_id)');
  return new Set(reader.getRows().map(([segmentation]) => String(segmentation)));
}
