import type { DuckDBConnection } from '@duckdb/node-api';
import type { SegmentChange } from '../../triggers/trigger-types.js';
import { sqlString } from '../../features/sql-quote.js';

/**
 * Segment entries and exits for the segment triggers: a run's
 * `segment_members` against the memberships the triggers last saw (a
 * baseline table beside it). The first time there is no baseline, so the
 * current members become it and nobody "enters": installing a trigger does
 * not fire it for every existing member. Change ids carry the baseline's
 * generation, not the run id, so a diff recomputed after a crash (before
 * the baseline moved on) yields the same ids and the engine drops the
 * repeats. Call `advanceBaseline` after the engine committed the changes.
 */
const BASELINE = 'trigger_segment_baseline';
const GENERATION = 'trigger_segment_generation';

export async function segmentChangesSince(duck: DuckDBConnection, segments: readonly string[], at: number): Promise<{ changes: SegmentChange[]; advanceBaseline(): Promise<void> }> {
  if (segments.length === 0) return { changes: [], advanceBaseline: async () => undefined };
  const wanted = `segment_id IN (${segments.map(sqlString).join(', ')})`;
  const exists = await duck.runAndReadAll(`SELECT count(*) FROM information_schema.tables WHERE table_name = '${BASELINE}'`);
  const advanceBaseline = async () => {
    await duck.run('BEGIN TRANSACTION');
    try {
      await duck.run(`CREATE OR REPLACE TABLE ${BASELINE} AS SELECT DISTINCT segment_id, profile_id FROM segment_members WHERE ${wanted}`);
      await duck.run(`CREATE TABLE IF NOT EXISTS ${GENERATION} (generation BIGINT NOT NULL)`);
      await duck.run(`DELETE FROM ${GENERATION}`);
      await duck.run(`INSERT INTO ${GENERATION} VALUES (${(await generation(duck)) + 1})`);
      await duck.run('COMMIT');
    } catch (error) {
      await duck.run('ROLLBACK');
      throw error;
    }
  };
  if (Number(exists.getRows()[0]?.[0] ?? 0) === 0) return { changes: [], advanceBaseline };
  const current = await generation(duck);
  const reader = await duck.runAndReadAll(`
    SELECT 'entered' AS change, segment_id, profile_id FROM (SELECT segment_id, profile_id FROM segment_members WHERE ${wanted} EXCEPT SELECT segment_id, profile_id FROM ${BASELINE})
    UNION ALL
    SELECT 'exited', segment_id, profile_id FROM (SELECT segment_id, profile_id FROM ${BASELINE} WHERE ${wanted} EXCEPT SELECT segment_id, profile_id FROM segment_members)
    ORDER BY 2, 3, 1`);
  const changes = (reader.getRows() as Array<[SegmentChange['change'], string, string]>).map(([change, segment, profileId]): SegmentChange => ({
    profileId, segment, change, at, changeId: `segment:${current}:${change}:${segment}:${profileId}`,
  }));
  return { changes, advanceBaseline };
}

async function generation(duck: DuckDBConnection): Promise<number> {
  const exists = await duck.runAndReadAll(`SELECT count(*) FROM information_schema.tables WHERE table_name = '${GENERATION}'`);
  if (Number(exists.getRows()[0]?.[0] ?? 0) === 0) return 0;
  const reader = await duck.runAndReadAll(`SELECT max(generation) FROM ${GENERATION}`);
  return Number(reader.getRows()[0]?.[0] ?? 0);
}
