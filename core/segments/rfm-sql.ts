import { sqlIdentifier, sqlString } from '../features/sql-quote.js';
import { RFM_SEGMENTS } from './rfm-names.js';

export interface RfmColumns {
  id: string;
  recency: string;
  frequency: string;
  monetary: string;
}

/**
 * RFM quintile scores in SQL, with pandas' qcut semantics over ranks (the
 * oracle in test/oracles/online_retail_rfm.py): rank with ties broken by
 * profile id, then score = max(1, ceil(5·(rank−1)/(n−1))). Integer arithmetic,
 * so no floating-point edge decides a boundary. Monetary is compared at 4
 * decimals so float summation order cannot reorder equal spends.
 * Only buyers (a recency and at least one order) are scored.
 */
export function rfmScoreSql(columns: RfmColumns): string {
  const r = sqlIdentifier(columns.recency);
  const f = sqlIdentifier(columns.frequency);
  const m = sqlIdentifier(columns.monetary);
  const score = (rank: string) => `CASE WHEN n.n <= 1 THEN 1 ELSE greatest(1, CAST((5 * (${rank} - 1) + n.n - 2) // (n.n - 1) AS INTEGER)) END`;
  const segmentCase = RFM_SEGMENTS.map(
    (segment) => `WHEN r BETWEEN ${segment.recency[0]} AND ${segment.recency[1]} AND f BETWEEN ${segment.frequency[0]} AND ${segment.frequency[1]} THEN ${sqlString(segment.slug)}`,
  ).join(' ');
  const prefix = columns.id;
  return `
    CREATE OR REPLACE TEMP TABLE rfm_scores AS
    WITH buyers AS (
      SELECT profile_id, ${r} AS recency, ${f} AS frequency, round(${m}, 4) AS monetary
      FROM features WHERE ${r} IS NOT NULL AND ${f} > 0),
    n AS (SELECT count(*) AS n FROM buyers),
    ranked AS (
      SELECT profile_id,
        row_number() OVER (ORDER BY recency DESC, profile_id) AS r_rank,
        row_number() OVER (ORDER BY frequency, profile_id) AS f_rank,
        row_number() OVER (ORDER BY monetary, profile_id) AS m_rank
      FROM buyers),
    scored AS (
      SELECT profile_id, ${score('r_rank')} AS r, ${score('f_rank')} AS f, ${score('m_rank')} AS m
      FROM ranked, n)
    SELECT profile_id, r AS ${sqlIdentifier(`${prefix}_r`)}, f AS ${sqlIdentifier(`${prefix}_f`)}, m AS ${sqlIdentifier(`${prefix}_m`)},
      CASE ${segmentCase} END AS ${sqlIdentifier(`${prefix}_segment`)}
    FROM scored`;
}
