import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../../features/sql-quote.js';

/**
 * Journeys as flat typed arrays (CSR): every profile's mapped events in time
 * order, one state index per event, with its timestamp. Streamed chunk by
 * chunk from DuckDB, so 10M events cost 12 bytes each rather than a JS
 * object per row.
 */
export interface JourneySequences {
  /** State names; `states[i]` is index i. */
  states: readonly string[];
  /** State index per event, profile after profile. */
  events: Int32Array;
  /** Event time per event, ms since the epoch. */
  times: Float64Array;
  /** Profile p's events are `events[offsets[p] .. offsets[p + 1])`. */
  offsets: Int32Array;
  profileIds: string[];
}

/**
 * `stateOf` maps event names to states (`Product Viewed → view`); other
 * events are left out. `session`: one sequence per session (a gap of more
 * than `sessionGapMs` starts a new one) instead of one per profile.
 */
export async function loadJourneySequences(duck: DuckDBConnection, stateOf: Readonly<Record<string, string>>, options: { sessionGapMs?: number } = {}): Promise<JourneySequences> {
  const states = [...new Set(Object.values(stateOf))];
  const index = new Map(states.map((state, position) => [state, position]));
  const names = Object.keys(stateOf);
  if (names.length === 0) return { states, events: new Int32Array(0), times: new Float64Array(0), offsets: new Int32Array([0]), profileIds: [] };
  const filter = `e.type = 'track' AND e.event IN (${names.map(sqlString).join(', ')})`;
  // Profiles first (one string per profile), then the events as numbers only: turning 10M
  // profile ids into JS strings was most of the time of a 10M-event load. Both queries
  // order by profile_id the same way, so the i-th run of events belongs to the i-th profile.
  const perProfile = (await duck.runAndReadAll(`SELECT m.profile_id, count(*)::DOUBLE FROM events e JOIN identity_map m ON m.id_key = e.id_key
    WHERE ${filter} GROUP BY m.profile_id ORDER BY m.profile_id`)).getRows();
  const total = perProfile.reduce((sum, [, count]) => sum + Number(count), 0);
  const events = new Int32Array(total);
  const times = new Float64Array(total);
  const stateIndex = `CASE e.event ${names.map((name) => `WHEN ${sqlString(name)} THEN ${index.get(stateOf[name] as string) as number}`).join(' ')} END::INTEGER`;
  const result = await duck.stream(`SELECT ${stateIndex}, epoch_ms(e.ts)::DOUBLE FROM events e JOIN identity_map m ON m.id_key = e.id_key
    WHERE ${filter} ORDER BY m.profile_id, e.ts, e.seq`);
  let row = 0;
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const states = chunk.getColumnVector(0);
    const stamps = chunk.getColumnVector(1);
    for (let item = 0; item < chunk.rowCount && row < total; item++, row++) {
      events[row] = states.getItem(item) as number;
      times[row] = stamps.getItem(item) as number;
    }
  }
  const offsets: number[] = [0];
  const profileIds: string[] = [];
  const gap = options.sessionGapMs;
  let first = 0;
  for (const [profile, count] of perProfile) {
    const end = Math.min(row, first + Number(count));
    if (end <= first) break;
    profileIds.push(String(profile));
    for (let at = first + 1; at < end && gap !== undefined; at++) {
      if ((times[at] as number) - (times[at - 1] as number) > gap) {
        offsets.push(at);
        profileIds.push(String(profile));
      }
    }
    offsets.push(end);
    first = end;
  }
  return { states, events: events.subarray(0, row), times: times.subarray(0, row), offsets: Int32Array.from(offsets), profileIds };
}
