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
  const counted = await duck.runAndReadAll(`SELECT count(*) FROM events e JOIN identity_map m ON m.id_key = e.id_key WHERE ${filter}`);
  const total = Number(counted.getRows()[0]?.[0] ?? 0);
  const events = new Int32Array(total);
  const times = new Float64Array(total);
  const offsets: number[] = [0];
  const profileIds: string[] = [];
  const result = await duck.stream(`SELECT m.profile_id, e.event, epoch_ms(e.ts)::DOUBLE FROM events e JOIN identity_map m ON m.id_key = e.id_key
    WHERE ${filter} ORDER BY m.profile_id, e.ts, e.seq`);
  let row = 0;
  let current: string | undefined;
  let lastTime = 0;
  const gap = options.sessionGapMs;
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const profiles = chunk.getColumnVector(0);
    const eventNames = chunk.getColumnVector(1);
    const stamps = chunk.getColumnVector(2);
    for (let item = 0; item < chunk.rowCount && row < total; item++, row++) {
      const profile = String(profiles.getItem(item));
      const at = Number(stamps.getItem(item));
      const startsSequence = profile !== current || (gap !== undefined && at - lastTime > gap);
      if (startsSequence && row > 0) offsets.push(row);
      if (startsSequence) profileIds.push(profile);
      current = profile;
      lastTime = at;
      events[row] = index.get(stateOf[String(eventNames.getItem(item))] as string) as number;
      times[row] = at;
    }
  }
  if (row > 0) offsets.push(row);
  return { states, events: events.subarray(0, row), times: times.subarray(0, row), offsets: Int32Array.from(offsets), profileIds };
}
