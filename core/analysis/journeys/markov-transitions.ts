/**
 * First-order Markov transitions between journey states: how often a
 * sequence moves from state a to state b, the row-normalized probabilities,
 * and a 95% Wilson interval per cell (the cell is a binomial draw out of its
 * row's total). Two pseudo-states frame every sequence: `start` (before the
 * first event) and `exit` (after the last), so "where do people enter" and
 * "where do they leave" are ordinary rows and columns, and the matrix feeds
 * `absorbing-chain.ts` directly.
 *
 * Sequences with no (mapped) events are skipped and counted in
 * `emptySequences`: a start → exit edge for them would say "bounced
 * immediately" about people who simply did none of the mapped events.
 */
import { assertValidSequences, sequenceCount, type StateSequences } from './sequences.js';
import { rowNormalize, rowTotals } from './transition-matrix.js';
import { wilsonInterval, Z_95 } from './wilson-interval.js';

export const START_STATE = 'start';
export const EXIT_STATE = 'exit';

export interface MarkovOptions {
  /**
   * Count view, view as one view (no self-transition), for flows where a repeat is noise.
   * @default false
   */
  collapseRepeats?: boolean;
  /**
   * z of the per-cell interval; `Z_99` from wilson-interval.ts gives 99%.
   * @default Z_95 (1.96, a 95% interval)
   */
  z?: number;
}

export interface MarkovTransitions {
  /** The input's state names, then `start`, then `exit`. */
  stateNames: readonly string[];
  /** `stateNames.length`; every matrix below is `size × size`, row-major (from × size + to). */
  size: number;
  /** Index of the `start` pseudo-state (its row: first states). */
  start: number;
  /** Index of the `exit` pseudo-state (its column: last states; its row is empty). */
  exit: number;
  counts: Float64Array;
  /** Outgoing transitions per state (the binomial's trials). */
  rowTotals: Float64Array;
  probabilities: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  sequences: number;
  emptySequences: number;
}

export function markovTransitions(sequences: StateSequences, options: MarkovOptions = {}): MarkovTransitions {
  assertValidSequences(sequences, 'markovTransitions');
  const stateCount = sequences.stateNames.length;
  const start = stateCount;
  const exit = stateCount + 1;
  const size = stateCount + 2;
  const counts = countTransitions(sequences, size, start, exit, options.collapseRepeats ?? false);
  const totals = rowTotals(counts, size);
  const { lower, upper } = intervals(counts, totals, size, options.z ?? Z_95);
  return {
    stateNames: [...sequences.stateNames, START_STATE, EXIT_STATE],
    size,
    start,
    exit,
    counts,
    rowTotals: totals,
    probabilities: rowNormalize(counts, size),
    lower,
    upper,
    sequences: sequenceCount(sequences),
    emptySequences: countEmpty(sequences.offsets),
  };
}

/** Probability of from → to by name; throws on an unknown name so a typo is not read as 0. */
export function transitionProbability(transitions: MarkovTransitions, from: string, to: string): number {
  const row = transitions.stateNames.indexOf(from);
  const column = transitions.stateNames.indexOf(to);
  if (row < 0 || column < 0) {
    throw new RangeError(`transitionProbability: unknown state ${row < 0 ? from : to}; known: ${transitions.stateNames.join(', ')}`);
  }
  return transitions.probabilities[row * transitions.size + column] as number;
}

function countTransitions(sequences: StateSequences, size: number, start: number, exit: number, collapse: boolean): Float64Array {
  const { states, offsets } = sequences;
  const counts = new Float64Array(size * size);
  for (let sequence = 0; sequence + 1 < offsets.length; sequence++) {
    const first = offsets[sequence] as number;
    const end = offsets[sequence + 1] as number;
    if (first === end) continue;
    let previous = start;
    for (let index = first; index < end; index++) {
      const state = states[index] as number;
      if (collapse && state === previous) continue;
      counts[previous * size + state] = (counts[previous * size + state] as number) + 1;
      previous = state;
    }
    counts[previous * size + exit] = (counts[previous * size + exit] as number) + 1;
  }
  return counts;
}

function intervals(counts: Float64Array, totals: Float64Array, size: number, z: number): { lower: Float64Array; upper: Float64Array } {
  const lower = new Float64Array(size * size);
  const upper = new Float64Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      const interval = wilsonInterval(counts[row * size + column] as number, totals[row] as number, z);
      lower[row * size + column] = interval.lower;
      upper[row * size + column] = interval.upper;
    }
  }
  return { lower, upper };
}

function countEmpty(offsets: Int32Array): number {
  let empty = 0;
  for (let sequence = 0; sequence + 1 < offsets.length; sequence++) {
    if (offsets[sequence] === offsets[sequence + 1]) empty++;
  }
  return empty;
}
