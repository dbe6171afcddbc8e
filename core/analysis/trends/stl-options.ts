import type { LoessSpec } from './loess.js';

/**
 * Options of `stl`, named and defaulted as in statsmodels' `STL`
 * (`statsmodels.tsa.seasonal.STL`), so a fixture produced with
 * `STL(series, period=7, robust=True)` maps one to one.
 */
export interface StlOptions {
  /** Number of observations in a seasonal cycle (7 for daily data with a weekly cycle). */
  readonly period: number;
  /** Length of the seasonal smoother, odd ≥ 3. @default 7 */
  readonly seasonal?: number;
  /** Length of the trend smoother, odd ≥ 3 and > period. @default smallest odd ≥ 1.5·period / (1 − 1.5/seasonal) */
  readonly trend?: number;
  /** Length of the low-pass filter, odd ≥ 3 and > period. @default smallest odd > period */
  readonly lowPass?: number;
  /** @default 1 */
  readonly seasonalDeg?: 0 | 1;
  /** @default 1 */
  readonly trendDeg?: 0 | 1;
  /** @default 1 */
  readonly lowPassDeg?: 0 | 1;
  /** @default 1 */
  readonly seasonalJump?: number;
  /** @default 1 */
  readonly trendJump?: number;
  /** @default 1 */
  readonly lowPassJump?: number;
  /** Down-weight outliers with bisquare weights between outer passes. @default false */
  readonly robust?: boolean;
  /** @default 2 when robust, else 5 */
  readonly innerIter?: number;
  /** @default 15 when robust, else 0 */
  readonly outerIter?: number;
}

/** Options with every default filled in and checked. */
export interface ResolvedStlOptions {
  readonly period: number;
  readonly seasonal: LoessSpec;
  readonly trend: LoessSpec;
  readonly lowPass: LoessSpec;
  readonly robust: boolean;
  readonly innerIter: number;
  readonly outerIter: number;
}

function isOddAtLeast3(value: number): boolean {
  return Number.isInteger(value) && value >= 3 && value % 2 === 1;
}

function defaultTrend(period: number, seasonal: number): number {
  const trend = Math.ceil((1.5 * period) / (1 - 1.5 / seasonal));
  return trend % 2 === 0 ? trend + 1 : trend;
}

/**
 * Fill defaults and collect every problem at once, so a caller fixing one
 * option is not sent back for the next.
 */
export function resolveStlOptions(options: StlOptions, nobs: number): ResolvedStlOptions {
  const problems: string[] = [];
  const { period } = options;
  if (!Number.isInteger(period) || period < 2) problems.push(`period must be an integer ≥ 2, got ${period}`);
  const seasonal = options.seasonal ?? 7;
  if (!isOddAtLeast3(seasonal)) problems.push(`seasonal must be an odd integer ≥ 3, got ${seasonal}`);
  const trend = options.trend ?? defaultTrend(period, seasonal);
  if (!isOddAtLeast3(trend) || trend <= period) problems.push(`trend must be an odd integer ≥ 3 and > period, got ${trend}`);
  const lowPassDefault = period + 1;
  const lowPass = options.lowPass ?? (lowPassDefault % 2 === 0 ? lowPassDefault + 1 : lowPassDefault);
  if (!isOddAtLeast3(lowPass) || lowPass <= period) problems.push(`lowPass must be an odd integer ≥ 3 and > period, got ${lowPass}`);
  const jumps = {
    seasonalJump: options.seasonalJump ?? 1,
    trendJump: options.trendJump ?? 1,
    lowPassJump: options.lowPassJump ?? 1,
  };
  for (const [name, value] of Object.entries(jumps)) {
    if (!Number.isInteger(value) || value < 1) problems.push(`${name} must be a positive integer, got ${value}`);
  }
  if (nobs < 2 * period) problems.push(`the series needs at least 2·period = ${2 * period} observations, got ${nobs}`);
  const robust = options.robust ?? false;
  const innerIter = options.innerIter ?? (robust ? 2 : 5);
  const outerIter = options.outerIter ?? (robust ? 15 : 0);
  if (!Number.isInteger(innerIter) || innerIter < 1) problems.push(`innerIter must be a positive integer, got ${innerIter}`);
  if (!Number.isInteger(outerIter) || outerIter < 0) problems.push(`outerIter must be a non-negative integer, got ${outerIter}`);
  if (problems.length > 0) throw new RangeError(`stl: invalid options: ${problems.join('; ')}`);
  return {
    period,
    seasonal: { length: seasonal, degree: options.seasonalDeg ?? 1, jump: jumps.seasonalJump },
    trend: { length: trend, degree: options.trendDeg ?? 1, jump: jumps.trendJump },
    lowPass: { length: lowPass, degree: options.lowPassDeg ?? 1, jump: jumps.lowPassJump },
    robust,
    innerIter,
    outerIter,
  };
}
