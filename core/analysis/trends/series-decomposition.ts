import type { Interval } from './daily-series.js';
import { stl } from './stl.js';
import { strength, type Strength } from './strength.js';

/**
 * Robust STL and Hyndman's strengths of one KPI series, or why not (pure).
 * Daily series use a weekly season (period 7) and need four weeks, as the
 * revenue trend does; weekly series use a yearly season (period 52) and
 * need two years, STL's minimum of two full cycles. A constant series (a
 * segment that did nothing) has no trend or season to find, and a series
 * that is zero on most buckets is too sparse for one.
 */
export interface SeriesDecomposition {
  period: number;
  strength: Strength;
  /** The STL trend at the first and last bucket: the direction and size of the change over the range. */
  trendStart: number;
  trendEnd: number;
}

export type DecompositionOutcome =
  | { decomposition: SeriesDecomposition; skipped?: undefined }
  | { decomposition?: undefined; skipped: string };

export const SEASON: Readonly<Record<Interval, { period: number; minimum: number; unit: string }>> = {
  day: { period: 7, minimum: 28, unit: 'days' },
  week: { period: 52, minimum: 104, unit: 'weeks' },
};

export function decomposeSeries(values: Float64Array, interval: Interval): DecompositionOutcome {
  const { period, minimum, unit } = SEASON[interval];
  if (values.length < minimum) {
    return { skipped: `${values.length} ${unit}: STL with period ${period} needs at least ${minimum}` };
  }
  let constant = true;
  for (let i = 1; i < values.length && constant; i += 1) constant = values[i] === values[0];
  if (constant) return { skipped: `constant at ${values[0]} over ${values.length} ${unit}: no trend or season to find` };
  // Intermittent series (a small segment that buys on a few days) are mostly zeros: the robust
  // fit sends the active days to the remainder or absorbs them whole, and the strengths then
  // read 0 or 1 whatever the behaviour. Such series need intermittent-demand methods, not STL.
  let active = 0;
  for (let i = 0; i < values.length; i += 1) if (values[i] !== 0) active += 1;
  if (2 * active < values.length) {
    return { skipped: `non-zero on ${active} of ${values.length} ${unit}: too sparse for STL (needs at least half)` };
  }
  const result = stl(values, { period, robust: true });
  return {
    decomposition: {
      period,
      strength: strength(result),
      trendStart: result.trend[0] as number,
      trendEnd: result.trend[values.length - 1] as number,
    },
  };
}
