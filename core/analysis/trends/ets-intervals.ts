import type { HoltWintersResult, SmoothingParameters } from './holt-winters.js';

/** A forecast with its prediction interval. */
export interface ForecastInterval {
  readonly mean: number;
  readonly lower: number;
  readonly upper: number;
}

/** Standard normal quantile for the usual levels; avoids an inverse-CDF dependency. */
const Z: Record<string, number> = { '0.8': 1.2815515655446004, '0.9': 1.6448536269514722, '0.95': 1.959963984540054, '0.99': 2.5758293035489004 };

/**
 * ETS(A,A,A) / ETS(A,A,N) point forecasts from the final states: level +
 * h·trend + the latest seasonal state for that day of the cycle. This is
 * statsmodels' ETSModel forecast; it differs from ExponentialSmoothing's at
 * horizons m, 2m, … (see holt-winters.ts), so intervals are centred here.
 */
export function etsForecast(states: Pick<HoltWintersResult, 'level' | 'trend' | 'season'>, horizon: number): Float64Array {
  const m = states.season.length;
  const forecast = new Float64Array(horizon);
  for (let h = 1; h <= horizon; h += 1) {
    forecast[h - 1] = states.level + h * states.trend + (m > 0 ? (states.season[(h - 1) % m] as number) : 0);
  }
  return forecast;
}

/**
 * Prediction intervals for ETS(A,A,A) / ETS(A,A,N) point forecasts from the
 * analytic forecast variance of Hyndman et al. (2008), class 1 models:
 *   Var(h) = σ² · (1 + Σ_{j=1}^{h−1} c_j²),  c_j = α + β·j + γ·[j mod m = 0]
 * with β the ETS trend parameter, α·β* for Holt-Winters' β*. σ² is the mean
 * squared one-step residual (statsmodels' ETSModel `mse`, divisor n).
 */
export function etsIntervals(
  forecast: ArrayLike<number>,
  parameters: SmoothingParameters,
  period: number | undefined,
  sigma2: number,
  level = 0.95,
): ForecastInterval[] {
  const z = Z[String(level)];
  if (z === undefined) throw new RangeError(`etsIntervals: level must be one of ${Object.keys(Z).join(', ')}, got ${level}`);
  const alpha = parameters.level;
  const beta = parameters.level * parameters.trend;
  const gamma = period === undefined ? 0 : (parameters.seasonal ?? 0);
  const intervals: ForecastInterval[] = [];
  let sum = 0;
  for (let h = 1; h <= forecast.length; h += 1) {
    if (h > 1) {
      const j = h - 1;
      const c = alpha + beta * j + (period !== undefined && j % period === 0 ? gamma : 0);
      sum += c * c;
    }
    const mean = forecast[h - 1] as number;
    const half = z * Math.sqrt(sigma2 * (1 + sum));
    intervals.push({ mean, lower: mean - half, upper: mean + half });
  }
  return intervals;
}
