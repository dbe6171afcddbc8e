/**
 * Initial states for Holt-Winters, as statsmodels 0.13.5 computes them for
 * `initialization_method='heuristic'` (`_initialization_heuristic`, after
 * Hyndman et al. 2008, section 2.6).
 */
export interface InitialState {
  readonly level: number;
  readonly trend: number;
  /** Seasonal effects for the first `period` observations (empty when non-seasonal). */
  readonly seasonal: readonly number[];
}

/** Centred moving average of `period` points (2×period for even periods); NaN at the ends. */
function centredMovingAverage(y: readonly number[], period: number): number[] {
  const n = y.length;
  const plain = new Array<number>(n).fill(Number.NaN);
  const half = Math.floor(period / 2);
  // pandas' rolling(period, center=True) labels each window by its middle (right-middle when even).
  for (let end = period - 1; end < n; end += 1) {
    let sum = 0;
    for (let i = end - period + 1; i <= end; i += 1) sum += y[i] as number;
    plain[end - period + 1 + half] = sum / period;
  }
  if (period % 2 === 1) return plain;
  // Even period: shift(-1).rolling(2).mean(), the usual 2×m MA (NaN propagates).
  return plain.map((value, i) => (i === 0 || i === n - 1 ? Number.NaN : (value + (plain[i + 1] as number)) / 2));
}

/** Least squares of the first ten values on t = 1..10: intercept (level at t = 0) and slope. */
function levelAndSlope(values: readonly number[]): { level: number; slope: number } {
  if (values.length < 10) throw new RangeError(`holt-winters: heuristic initialization needs 10 points to fit the level, got ${values.length}`);
  let meanT = 0;
  let meanY = 0;
  for (let t = 1; t <= 10; t += 1) {
    meanT += t / 10;
    meanY += (values[t - 1] as number) / 10;
  }
  let sxy = 0;
  let sxx = 0;
  for (let t = 1; t <= 10; t += 1) {
    sxy += (t - meanT) * ((values[t - 1] as number) - meanY);
    sxx += (t - meanT) * (t - meanT);
  }
  const slope = sxy / sxx;
  return { level: meanY - slope * meanT, slope };
}

/**
 * Heuristic initial level, trend and (additive) seasonal effects.
 * `period` undefined means no seasonal component.
 */
export function heuristicInitialState(series: ArrayLike<number>, period: number | undefined): InitialState {
  const y = Array.from(series);
  const n = y.length;
  if (n < 10) throw new RangeError(`holt-winters: heuristic initialization needs at least 10 observations, got ${n}`);
  if (period === undefined) {
    const { level, slope } = levelAndSlope(y);
    return { level, trend: slope, seasonal: [] };
  }
  const minObs = 10 + 2 * Math.floor(period / 2);
  if (n < 2 * period || n < minObs) {
    throw new RangeError(`holt-winters: heuristic initialization needs max(2·period, ${minObs}) observations, got ${n}`);
  }
  const cycles = Math.max(Math.min(5, Math.floor(n / period)), Math.ceil(minObs / period));
  const head = y.slice(0, period * cycles);
  const smoothed = centredMovingAverage(head, period);
  const seasonal: number[] = [];
  for (let j = 0; j < period; j += 1) {
    let sum = 0;
    let count = 0;
    for (let c = 0; c < cycles; c += 1) {
      const i = c * period + j;
      const value = (head[i] as number) - (smoothed[i] as number);
      if (!Number.isNaN(value)) {
        sum += value;
        count += 1;
      }
    }
    seasonal.push(sum / count);
  }
  const meanSeasonal = seasonal.reduce((total, value) => total + value, 0) / period;
  const { level, slope } = levelAndSlope(smoothed.filter((value) => !Number.isNaN(value)));
  return { level, trend: slope, seasonal: seasonal.map((value) => value - meanSeasonal) };
}
