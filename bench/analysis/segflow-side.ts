import type { DuckDBConnection } from '@duckdb/node-api';
import { loadJourneySequences, type JourneySequences } from '../../core/analysis/inputs/journey-sequences.js';
import { funnel, markovTransitions, type StateSequences } from '../../core/analysis/journeys/index.js';
import { denseSeries } from '../../core/analysis/trends/index.js';
import { EVENT_NAMES } from './dataset.js';

/**
 * segflow's side: what `journeyReport` and `revenueTrend` do for the same
 * answers — the event store streamed into typed arrays (one journey per
 * profile), then transitions and the funnel on them; the daily revenue
 * aggregated by DuckDB and densified in TypeScript.
 */
const STATE_OF = Object.fromEntries(Object.entries(EVENT_NAMES).map(([state, event]) => [event, state]));

export function loadSequences(duck: DuckDBConnection): Promise<JourneySequences> {
  return loadJourneySequences(duck, STATE_OF);
}

function asStateSequences(loaded: JourneySequences): StateSequences {
  return { states: loaded.events, offsets: loaded.offsets, stateNames: loaded.states, timestamps: loaded.times };
}

export function segflowTransitions(loaded: JourneySequences): Map<string, number> {
  const transitions = markovTransitions(asStateSequences(loaded), { collapseRepeats: true });
  const counts = new Map<string, number>();
  for (let from = 0; from < transitions.size; from++) {
    for (let to = 0; to < transitions.size; to++) {
      const count = transitions.counts[from * transitions.size + to] as number;
      if (count > 0) counts.set(`${transitions.stateNames[from] as string}>${transitions.stateNames[to] as string}`, count);
    }
  }
  return counts;
}

export function segflowFunnel(loaded: JourneySequences): number[] {
  return funnel(asStateSequences(loaded), ['view', 'cart', 'checkout', 'purchase']).steps.map((step) => step.reached);
}

export async function segflowDailyRevenue(duck: DuckDBConnection): Promise<Float64Array> {
  const reader = await duck.runAndReadAll(`SELECT epoch_ms(date_trunc('day', ts))::DOUBLE, sum(revenue)::DOUBLE FROM events
    WHERE type = 'track' AND event = '${EVENT_NAMES.purchase}' AND revenue IS NOT NULL GROUP BY 1 ORDER BY 1`);
  return denseSeries(reader.getRows().map(([timestamp, value]) => ({ timestamp: Number(timestamp), value: Number(value) })), { interval: 'day' }).values;
}
