import { smooth } from './loess.js';
import { resolveStlOptions, type ResolvedStlOptions, type StlOptions } from './stl-options.js';
import { lowPassAverages, robustnessWeights, smoothSubseries, subseriesScratch, type SubseriesScratch } from './stl-steps.js';

export type { StlOptions } from './stl-options.js';

/** The decomposition y = seasonal + trend + resid, plus the final robustness weights. */
export interface StlResult {
  readonly seasonal: Float64Array;
  readonly trend: Float64Array;
  readonly resid: Float64Array;
  /** Bisquare weights used by the last pass (all 1 when not robust). */
  readonly weights: Float64Array;
}

interface Workspace {
  readonly detrended: Float64Array;
  readonly extendedSeason: Float64Array;
  readonly lowPass: Float64Array;
  readonly subseries: SubseriesScratch;
}

function workspace(n: number, period: number): Workspace {
  const extended = n + 2 * period;
  return {
    detrended: new Float64Array(extended),
    extendedSeason: new Float64Array(extended),
    lowPass: new Float64Array(extended),
    subseries: subseriesScratch(n, period),
  };
}

/** One run of the inner loop (`stlstp`): updates season and trend in place. */
function innerLoop(
  y: Float64Array,
  options: ResolvedStlOptions,
  robustness: Float64Array | undefined,
  season: Float64Array,
  trend: Float64Array,
  work: Workspace,
): void {
  const n = y.length;
  const { period } = options;
  for (let pass = 0; pass < options.innerIter; pass += 1) {
    for (let i = 0; i < n; i += 1) work.detrended[i] = (y[i] as number) - (trend[i] as number);
    smoothSubseries(work.detrended, n, period, options.seasonal, robustness, work.extendedSeason, work.subseries);
    lowPassAverages(work.extendedSeason, n + 2 * period, period, work.lowPass, work.detrended);
    smooth(work.lowPass, 0, n, options.lowPass, undefined, 0, work.detrended, 0);
    for (let i = 0; i < n; i += 1) season[i] = (work.extendedSeason[period + i] as number) - (work.detrended[i] as number);
    for (let i = 0; i < n; i += 1) work.detrended[i] = (y[i] as number) - (season[i] as number);
    smooth(work.detrended, 0, n, options.trend, robustness, 0, trend, 0);
  }
}

/**
 * Seasonal-Trend decomposition by Loess (Cleveland et al. 1990), a port of
 * statsmodels' `STL(...).fit()` (itself the netlib Fortran): the same
 * defaults, iteration counts, passes and fall-backs. The weighted loess sums
 * are gathered in one pass (see loess.ts; centred windows through a
 * precomputed kernel), so components agree with
 * statsmodels to rounding (~1e-13 of the series scale), not bit for bit.
 */
export function stl(series: ArrayLike<number>, options: StlOptions): StlResult {
  const y = Float64Array.from(series);
  for (let i = 0; i < y.length; i += 1) {
    if (!Number.isFinite(y[i])) throw new RangeError(`stl: series[${i}] is ${y[i]}; fill or drop missing values first`);
  }
  const resolved = resolveStlOptions(options, y.length);
  const n = y.length;
  const season = new Float64Array(n);
  const trend = new Float64Array(n);
  const weights = new Float64Array(n);
  const fit = new Float64Array(n);
  const sorted = new Float64Array(n);
  const work = workspace(n, resolved.period);
  let robustness: Float64Array | undefined;
  // As in the Fortran: the weights computed after pass k are used by pass k + 1,
  // and the reported weights are the last ones computed.
  for (let k = 0; ; ) {
    innerLoop(y, resolved, robustness, season, trend, work);
    k += 1;
    if (k > resolved.outerIter) break;
    for (let i = 0; i < n; i += 1) fit[i] = (trend[i] as number) + (season[i] as number);
    robustnessWeights(y, fit, weights, sorted);
    robustness = weights;
  }
  if (resolved.outerIter <= 0) weights.fill(1);
  const resid = new Float64Array(n);
  for (let i = 0; i < n; i += 1) resid[i] = (y[i] as number) - (trend[i] as number) - (season[i] as number);
  return { seasonal: season, trend, resid, weights };
}
