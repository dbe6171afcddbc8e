import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Retention (`privacy.retention.events`): events older than the window are
 * deleted at the start of every run, before identities and features are
 * computed, so nothing older reaches a segment, a sink or a report. The
 * cutoff is the run's wall clock minus the window (not the newest event), so
 * a source that stops sending does not keep old data alive. A DELETE leaves
 * the rows' bytes in DuckDB's blocks until they are reused; `segflow forget`
 * is the path that rewrites the file when bytes must be gone at once.
 */
export interface RetentionOutcome {
  /** Events older than this (ISO) were deleted. */
  before: string;
  purged: number;
}

export async function purgeExpiredEvents(duck: DuckDBConnection, cutoffMs: number): Promise<RetentionOutcome> {
  const before = new Date(cutoffMs).toISOString();
  const counted = await duck.runAndReadAll('SELECT count(*) FROM events WHERE ts < make_timestamp($1::BIGINT * 1000)', [Math.floor(cutoffMs)]);
  const purged = Number(counted.getRows()[0]?.[0] ?? 0);
  if (purged > 0) await duck.run('DELETE FROM events WHERE ts < make_timestamp($1::BIGINT * 1000)', [Math.floor(cutoffMs)]);
  return { before, purged };
}
