import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../../features/sql-quote.js';

/** One member of an experiment's segment, as read from the event store (arms are assigned by the caller). */
export interface StoredOutcome {
  profileId: string;
  /** First conversion event in [start, end), ms since the epoch; null when none. */
  firstConversion: number | null;
  /** Revenue of the conversion events in [start, end). */
  revenue: number;
  /** The same two in the pre-period [preStart, start). */
  preRevenue: number;
  preConversions: number;
}

export interface OutcomeWindow {
  segmentIds: readonly string[];
  conversionEvent: string;
  preStart: number;
  start: number;
  end: number;
}

/**
 * The members of the given segments (as the last run left them) with their
 * conversions and revenue after start and before it, from the events every
 * identity of the profile sent. Members who did nothing get zeros, so they
 * count as non-converters rather than disappearing. Ordered by profile id.
 */
export async function loadExperimentOutcomes(duck: DuckDBConnection, window: OutcomeWindow): Promise<StoredOutcome[]> {
  if (window.segmentIds.length === 0) return [];
  const at = (ms: number) => `epoch_ms(${Math.round(ms)}::BIGINT)`;
  const conversions = (from: number, to: number) => `SELECT i.profile_id, min(e.ts) AS first_ts, sum(coalesce(e.revenue, 0)) AS revenue, count(*) AS conversions
    FROM events e JOIN identity_map i ON i.id_key = e.id_key
    WHERE e.type = 'track' AND e.event = ${sqlString(window.conversionEvent)} AND e.ts >= ${at(from)} AND e.ts < ${at(to)} GROUP BY i.profile_id`;
  const reader = await duck.runAndReadAll(`WITH members AS (SELECT DISTINCT profile_id FROM segment_members WHERE segment_id IN (${window.segmentIds.map(sqlString).join(', ')})),
      post AS (${conversions(window.start, window.end)}),
      pre AS (${conversions(window.preStart, window.start)})
    SELECT m.profile_id, epoch_ms(post.first_ts)::DOUBLE, coalesce(post.revenue, 0)::DOUBLE, coalesce(pre.revenue, 0)::DOUBLE, coalesce(pre.conversions, 0)::DOUBLE
    FROM members m LEFT JOIN post USING (profile_id) LEFT JOIN pre USING (profile_id) ORDER BY m.profile_id`);
  return reader.getRows().map(([profileId, first, revenue, preRevenue, preConversions]) => ({
    profileId: String(profileId),
    firstConversion: first === null ? null : Number(first),
    revenue: Number(revenue),
    preRevenue: Number(preRevenue),
    preConversions: Number(preConversions),
  }));
}

/** Midnight (UTC) after the latest stored event, ms: how far the data reaches; null when there are no events. */
export async function eventHorizon(duck: DuckDBConnection): Promise<number | null> {
  const reader = await duck.runAndReadAll('SELECT epoch_ms(max(ts))::DOUBLE FROM events');
  const latest = reader.getRows()[0]?.[0];
  if (latest === null || latest === undefined) return null;
  const day = 86_400_000;
  return Math.floor(Number(latest) / day) * day + day;
}
