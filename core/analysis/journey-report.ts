import type { DuckDBConnection } from '@duckdb/node-api';
import type { Mapping } from '../config/mapping-schema.js';
import { durationMs } from '../config/durations.js';
import { UserError } from '../errors/user-error.js';
import { loadJourneySequences } from './inputs/journey-sequences.js';
import { absorbingChain, EXIT_STATE, funnel, markovTransitions, sankey, topPaths, type Funnel, type SankeyData, type StateSequences, type TopPaths } from './journeys/index.js';

/**
 * The journey table of a run (issue 12, part 1): how people move between
 * view, cart, checkout and purchase — the Markov transition matrix with
 * intervals, the funnel with drop-off and time to convert, the probability
 * of reaching the goal (and expected steps) from each state, the top paths
 * and Sankey data for the report. Everything is computed on typed arrays
 * streamed from the event store.
 */
export interface JourneyReport {
  by: 'session' | 'profile';
  states: string[];
  journeys: number;
  events: number;
  /** Non-zero transitions, most frequent first. */
  transitions: Array<{ from: string; to: string; count: number; probability: number; lower: number; upper: number }>;
  funnel: Funnel;
  goal: string;
  /** Per transient state: the probability of reaching the goal before leaving, and the expected steps until either. */
  toGoal: Array<{ state: string; probability: number; expectedSteps: number }>;
  topPaths: TopPaths;
  sankey: SankeyData;
}

export async function journeyReport(duck: DuckDBConnection, mapping: Mapping): Promise<JourneyReport> {
  const config = mapping.analysis?.journeys;
  const names = mapping.features.events;
  const stateOf = config?.states ?? { [names.product_view]: 'view', [names.add_to_cart]: 'cart', [names.checkout]: 'checkout', [names.order]: 'purchase' };
  const steps = config?.funnel ?? ['view', 'cart', 'checkout', 'purchase'];
  const goal = config?.goal ?? (steps.at(-1) as string);
  const by = config?.by ?? 'session';
  const mapped = new Set(Object.values(stateOf));
  for (const step of [...steps, goal]) {
    if (!mapped.has(step)) throw new UserError(`analysis.journeys: "${step}" is not a journey state (states: ${[...mapped].join(', ')})`);
  }
  const loaded = await loadJourneySequences(duck, stateOf, by === 'session' ? { sessionGapMs: durationMs(mapping.sessions.gap) } : {});
  const sequences: StateSequences = { states: loaded.events, offsets: loaded.offsets, stateNames: loaded.states, timestamps: loaded.times };
  const transitions = markovTransitions(sequences, { collapseRepeats: true });
  const table: JourneyReport['transitions'] = [];
  for (let from = 0; from < transitions.size; from++) {
    for (let to = 0; to < transitions.size; to++) {
      const cell = from * transitions.size + to;
      const count = transitions.counts[cell] as number;
      if (count === 0) continue;
      table.push({ from: transitions.stateNames[from] as string, to: transitions.stateNames[to] as string, count, probability: transitions.probabilities[cell] as number, lower: transitions.lower[cell] as number, upper: transitions.upper[cell] as number });
    }
  }
  table.sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  const toGoal: JourneyReport['toGoal'] = [];
  if (loaded.states.includes(goal) && loaded.events.length > 0) {
    const chain = absorbingChain({ probabilities: transitions.probabilities, size: transitions.size, stateNames: transitions.stateNames }, [goal, EXIT_STATE]);
    const goalColumn = chain.absorbingNames.indexOf(goal);
    chain.transientNames.forEach((state, row) => {
      toGoal.push({ state, probability: chain.absorption[row * chain.absorbingNames.length + goalColumn] as number, expectedSteps: chain.expectedSteps[row] as number });
    });
  }
  return {
    by, states: loaded.states.slice(), journeys: loaded.profileIds.length, events: loaded.events.length, transitions: table,
    funnel: funnel(sequences, steps), goal, toGoal,
    topPaths: topPaths(sequences, { limit: config?.top_paths ?? 10 }),
    sankey: sankey(sequences, { maxDepth: 5 }),
  };
}
