import type { InitialState } from './holt-winters-initial.js';

export type { InitialState } from './holt-winters-initial.js';

/** Smoothing parameters in Holt-Winters (error-correction-free) form, each in [0, 1]. */
export interface SmoothingParameters {
  /** α, level. */
  readonly level: number;
  /** β*, trend (Holt's form: applied to the change in level). */
  readonly trend: number;
  /** γ, season; ignored without a seasonal component. @default 0 */
  readonly seasonal?: number;
}

export interface HoltWintersResult {
  /** One-step-ahead in-sample predictions, one per observation. */
  readonly fitted: Float64Array;
  /** Forecasts for the `horizon` steps after the last observation. */
  readonly forecast: Float64Array;
  /** Sum of squared one-step errors. */
  readonly sse: number;
  /** Final level and trend, after the last observation. */
  readonly level: number;
  readonly trend: number;
  /**
   * Final seasonal states: entry k is the latest estimate for observation
   * n + k (k < period), updated by the last observation. Empty without a season.
   */
  readonly season: Float64Array;
}

/**
 * Additive Holt-Winters (ETS(A,A,A) point forecasts) or, when `period` is
 * undefined, Holt's linear trend (ETS(A,A,N)), with given parameters and
 * initial states. It follows statsmodels 0.13.5 `ExponentialSmoothing`
 * `_predict` step for step, including the order of operations, so fixed-
 * parameter forecasts agree with `fit(optimized=False)` to rounding.
 */
export function holtWinters(
  series: ArrayLike<number>,
  parameters: SmoothingParameters,
  initial: InitialState,
  period: number | undefined,
  horizon: number,
): HoltWintersResult {
  const y = Float64Array.from(series);
  const n = y.length;
  const m = period ?? 0;
  if (period !== undefined && initial.seasonal.length !== period) {
    throw new RangeError(`holt-winters: expected ${period} initial seasonal values, got ${initial.seasonal.length}`);
  }
  const alpha = parameters.level;
  const beta = parameters.trend;
  const gamma = period === undefined ? 0 : (parameters.seasonal ?? 0);
  const level = new Float64Array(n + 1);
  const trend = new Float64Array(n + 1);
  // s[t] is the seasonal effect for observation t; s[t + m] is updated from y[t].
  const season = new Float64Array(n + horizon + m + 1);
  level[0] = initial.level;
  trend[0] = initial.trend;
  for (let i = 0; i < m; i += 1) season[i] = initial.seasonal[i] as number;
  for (let i = 1; i <= n; i += 1) {
    const previous = (level[i - 1] as number) + (trend[i - 1] as number);
    const observed = y[i - 1] as number;
    if (m > 0) {
      level[i] = alpha * observed - alpha * (season[i - 1] as number) + (1 - alpha) * previous;
      season[i + m - 1] = gamma * observed - gamma * previous + (1 - gamma) * (season[i - 1] as number);
    } else {
      level[i] = alpha * observed + (1 - alpha) * previous;
    }
    trend[i] = beta * ((level[i] as number) - (level[i - 1] as number)) + (1 - beta) * (trend[i - 1] as number);
  }
  const finalSeason = season.slice(n, n + m);
  // statsmodels then overwrites s[n + m − 1 + j] with s[n − 1 + j mod m]: horizon m
  // reuses the season's estimate from before the last observation (ETSModel does
  // not: see ets-intervals.ts). Kept, to agree with ExponentialSmoothing.forecast.
  if (m > 0) {
    for (let j = 0; n + m - 1 + j < season.length; j += 1) season[n + m - 1 + j] = season[n - 1 + (j % m)] as number;
  }
  const fitted = new Float64Array(n);
  let sse = 0;
  for (let t = 0; t < n; t += 1) {
    fitted[t] = (level[t] as number) + (trend[t] as number) + (m > 0 ? (season[t] as number) : 0);
    const error = (fitted[t] as number) - (y[t] as number);
    sse += error * error;
  }
  const lastLevel = level[n] as number;
  const lastTrend = trend[n] as number;
  const forecast = new Float64Array(horizon);
  for (let k = 0; k < horizon; k += 1) {
    forecast[k] = lastLevel + lastTrend * (k + 1) + (m > 0 ? (season[n + k] as number) : 0);
  }
  return { fitted, forecast, sse, level: lastLevel, trend: lastTrend, season: finalSeason };
}
