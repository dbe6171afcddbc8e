import { readFileSync } from 'node:fs';

/**
 * The statsmodels oracle's output for UCI Online Retail daily revenue
 * (test/oracles/trends_stl.py → test/fixtures/trends/online_retail_stl.json).
 * Test-only: read by the *.test.ts files of this folder.
 */
export interface StlOracle {
  readonly seasonal: number[];
  readonly trend: number[];
  readonly resid: number[];
  readonly weights: number[];
  readonly strength: { readonly seasonal: number; readonly trend: number };
}

/** statsmodels STL keyword arguments (snake_case) and its components. */
export interface StlVariantOracle extends Omit<StlOracle, 'strength'> {
  readonly config: Readonly<Record<string, number | boolean>>;
}

interface HoltWintersOracle {
  readonly initial_level: number;
  readonly initial_trend: number;
  readonly initial_seasonal?: number[];
  readonly fitted?: number[];
  readonly forecast: number[];
  readonly sse: number;
}

export interface RetailOracle {
  readonly period: number;
  readonly horizon: number;
  readonly series: { readonly start: string; readonly end: string; readonly zero_days: number; readonly values: number[] };
  readonly stl: { readonly robust: StlOracle; readonly standard: StlOracle };
  readonly stl_variants: readonly StlVariantOracle[];
  readonly holt_winters: {
    readonly fixed: {
      readonly seasonal: { smoothing_level: number; smoothing_trend: number; smoothing_seasonal: number };
      readonly holt: { smoothing_level: number; smoothing_trend: number };
    };
    readonly known_initial: {
      readonly seasonal: { initial_level: number; initial_trend: number; initial_seasonal: number[] };
      readonly holt: { initial_level: number; initial_trend: number };
    };
    readonly by_initialization: Record<'known' | 'heuristic', { additive: HoltWintersOracle; holt: HoltWintersOracle }>;
    readonly optimized_reference: { smoothing_level: number; smoothing_trend: number; smoothing_seasonal: number; sse: number };
  };
  readonly ets_intervals: { sigma2: number; mean: number[]; pi_lower: number[]; pi_upper: number[] };
}

export function loadRetailOracle(): RetailOracle {
  const url = new URL('../../../test/fixtures/trends/online_retail_stl.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as RetailOracle;
}

/** Largest absolute difference between two equally long sequences. */
export function maxAbsDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new RangeError(`maxAbsDiff: lengths ${actual.length} and ${expected.length} differ`);
  let max = 0;
  for (let i = 0; i < actual.length; i += 1) max = Math.max(max, Math.abs((actual[i] as number) - (expected[i] as number)));
  return max;
}
