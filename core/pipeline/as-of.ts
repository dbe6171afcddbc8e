import type { DuckDBConnection } from '@duckdb/node-api';

const DAY_MS = 86_400_000;

/**
 * The as-of instant for features. `latest` is midnight (UTC) after the last
 * stored event: the usual RFM snapshot ("the day after the last invoice"),
 * and reproducible, unlike `now`.
 */
export async function resolveAsOf(duck: DuckDBConnection, asOf: string, now: number): Promise<number> {
  if (asOf === 'now') return now;
  if (asOf !== 'latest') return Date.parse(`${asOf}T00:00:00Z`);
  const reader = await duck.runAndReadAll('SELECT epoch_ms(max(ts)) FROM events');
  const last = reader.getRows()[0]?.[0];
  if (last === null || last === undefined) return Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
  return Math.floor(Number(last) / DAY_MS) * DAY_MS + DAY_MS;
}
