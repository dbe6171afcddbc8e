/**
 * Tabular (Page 1954) CUSUM:
 *   C⁺_t = max(0, x_t − (μ0 + K) + C⁺_{t−1}),
 *   C⁻_t = max(0, (μ0 − K) − x_t + C⁻_{t−1}),  C±_0 = 0,
 * with K = k·σ and H = h·σ. k and h are taken in σ units so that the usual
 * design (k = 0.5 detects a 1σ shift; h = 4 or 5) carries over to any KPI
 * scale, and the run-length tables in average-run-length.ts apply unchanged.
 */
export interface CusumOptions {
  /** In-control mean μ0. */
  mean: number;
  /** In-control standard deviation σ. */
  sigma: number;
  /** Reference value k in σ units. @default 0.5 */
  k?: number;
  /** Decision interval h in σ units. @default 5 */
  h?: number;
}

export interface CusumChart {
  upper: Float64Array;
  lower: Float64Array;
  /** H = h·σ, in the data's units. */
  threshold: number;
  /** Indices where C⁺ > H (an upward shift). */
  upperAlarms: number[];
  /** Indices where C⁻ > H (a downward shift). */
  lowerAlarms: number[];
  firstAlarm: { index: number; direction: 'up' | 'down' } | undefined;
}

export function cusumChart(values: ArrayLike<number>, options: CusumOptions): CusumChart {
  const { k, h } = resolveCusumOptions(options);
  const { mean, sigma } = options;
  const slack = k * sigma;
  const threshold = h * sigma;
  const n = values.length;
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const upperAlarms: number[] = [];
  const lowerAlarms: number[] = [];
  let plus = 0;
  let minus = 0;
  for (let index = 0; index < n; index++) {
    const x = values[index] as number;
    plus = Math.max(0, x - (mean + slack) + plus);
    minus = Math.max(0, mean - slack - x + minus);
    upper[index] = plus;
    lower[index] = minus;
    if (plus > threshold) upperAlarms.push(index);
    if (minus > threshold) lowerAlarms.push(index);
  }
  return { upper, lower, threshold, upperAlarms, lowerAlarms, firstAlarm: firstOf(upperAlarms[0], lowerAlarms[0]) };
}

export function resolveCusumOptions(options: { k?: number; h?: number }): { k: number; h: number } {
  const k = options.k ?? 0.5;
  const h = options.h ?? 5;
  if (!(k >= 0)) throw new RangeError(`cusumChart: k must be non-negative, got ${k}`);
  if (!(h > 0)) throw new RangeError(`cusumChart: h must be positive, got ${h}`);
  return { k, h };
}

function firstOf(up: number | undefined, down: number | undefined): CusumChart['firstAlarm'] {
  if (up === undefined && down === undefined) return undefined;
  if (down === undefined || (up !== undefined && up <= down)) return { index: up as number, direction: 'up' };
  return { index: down, direction: 'down' };
}
