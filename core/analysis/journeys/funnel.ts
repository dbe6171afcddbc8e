/**
 * An ordered funnel (view → cart → checkout → purchase): a sequence reaches
 * step k when it has the steps 0…k in that order, not necessarily adjacent
 * (view, search, cart counts as view → cart). Matching is greedy on the
 * earliest occurrence, which reaches the deepest step possible; a cart before
 * any view does not count for cart.
 *
 * Time to convert to step k runs from the matched first step to the matched
 * step k, so it includes the time spent on the steps between. The first step
 * is compared with all sequences: its "conversion from previous" is the share
 * of sequences that entered the funnel at all.
 */
import { quantile } from '../../features/scaling.js';
import { assertValidSequences, sequenceCount, stateIndices, type StateSequences } from './sequences.js';

export interface TimeToConvert {
  /** Sequences with a time (those that reached the step). */
  count: number;
  /** Milliseconds from the first step. */
  median: number | null;
  p90: number | null;
}

export interface FunnelStep {
  name: string;
  /** Sequences that reached this step in order. */
  reached: number;
  /** reached / reached at the previous step (all sequences for the first); null when that is 0. */
  conversionFromPrevious: number | null;
  /** reached / reached at the first step; null when nobody entered. */
  conversionFromFirst: number | null;
  /** Sequences that reached the previous step (or exist, for the first) but not this one. */
  dropOff: number;
  /** Only when timestamps were given, and not for the first step. */
  timeToConvert?: TimeToConvert;
}

export interface Funnel {
  sequences: number;
  steps: FunnelStep[];
}

export function funnel(sequences: StateSequences, stepNames: readonly string[]): Funnel {
  assertValidSequences(sequences, 'funnel');
  if (stepNames.length === 0) throw new RangeError('funnel: give at least one step, e.g. [view, cart, checkout, purchase]');
  const steps = stateIndices(sequences.stateNames, stepNames, 'funnel');
  const total = sequenceCount(sequences);
  const depths = new Int32Array(total);
  // Elapsed ms per (sequence, step), NaN when not reached; a flat array keeps 1M sequences cheap.
  const elapsed = sequences.timestamps === undefined ? undefined : new Float64Array(total * steps.length).fill(Number.NaN);
  for (let sequence = 0; sequence < total; sequence++) {
    depths[sequence] = matchSteps(sequences, sequence, steps, elapsed);
  }
  const reached = steps.map((_, step) => depths.reduce((sum, depth) => sum + (depth > step ? 1 : 0), 0));
  return {
    sequences: total,
    steps: stepNames.map((name, step) => {
      const previous = step === 0 ? total : (reached[step - 1] as number);
      const first = reached[0] as number;
      const here = reached[step] as number;
      const result: FunnelStep = {
        name,
        reached: here,
        conversionFromPrevious: previous === 0 ? null : here / previous,
        conversionFromFirst: first === 0 ? null : here / first,
        dropOff: previous - here,
      };
      if (elapsed !== undefined && step > 0) result.timeToConvert = timeStats(elapsed, steps.length, step);
      return result;
    }),
  };
}

/** Greedy in-order match for one sequence; returns how many steps it reached and records elapsed times. */
function matchSteps(sequences: StateSequences, sequence: number, steps: readonly number[], elapsed: Float64Array | undefined): number {
  const { states, offsets, timestamps } = sequences;
  let depth = 0;
  let startedAt = 0;
  for (let index = offsets[sequence] as number; index < (offsets[sequence + 1] as number) && depth < steps.length; index++) {
    if (states[index] !== steps[depth]) continue;
    const time = timestamps === undefined ? 0 : (timestamps[index] as number);
    if (depth === 0) startedAt = time;
    if (elapsed !== undefined) elapsed[sequence * steps.length + depth] = time - startedAt;
    depth++;
  }
  return depth;
}

function timeStats(elapsed: Float64Array, stepCount: number, step: number): TimeToConvert {
  const times: number[] = [];
  for (let index = step; index < elapsed.length; index += stepCount) {
    const value = elapsed[index] as number;
    if (!Number.isNaN(value)) times.push(value);
  }
  const sorted = Float64Array.from(times).sort();
  // null, not NaN, for no data: it survives JSON.
  return { count: sorted.length, median: sorted.length === 0 ? null : quantile(sorted, 0.5), p90: sorted.length === 0 ? null : quantile(sorted, 0.9) };
}
