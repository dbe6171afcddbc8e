/**
 * EWMA control chart (Roberts 1959): z_t = λ·x_t + (1 − λ)·z_{t−1}, z_0 = μ0.
 * The limits are the exact time-varying ones,
 *   μ0 ± L·σ·√(λ/(2 − λ) · (1 − (1 − λ)^{2t})),
 * because the asymptotic limits are too wide for the first few points and
 * would hide a shift that is present from the start of a run series.
 */
export interface EwmaOptions {
  /** In-control mean μ0 (also z_0). */
  mean: number;
  /** In-control standard deviation σ of one observation. */
  sigma: number;
  /** Smoothing weight λ in (0, 1]. @default 0.2 */
  lambda?: number;
  /** Limit width L in multiples of the statistic's standard deviation. @default 3 */
  limitWidth?: number;
}

export interface EwmaChart {
  /** z_1 … z_n (index i is observation i). */
  statistic: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  /** The limit the exact limits converge to, for plotting. */
  asymptoticLower: number;
  asymptoticUpper: number;
  /** Indices where z_t is outside its limits. */
  alarms: number[];
  /** The first such index, or undefined when the series stays in control. */
  firstAlarm: number | undefined;
}

export function ewmaChart(values: ArrayLike<number>, options: EwmaOptions): EwmaChart {
  const { lambda, limitWidth } = resolveEwmaOptions(options);
  const { mean, sigma } = options;
  const n = values.length;
  const statistic = new Float64Array(n);
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  const alarms: number[] = [];
  const ratio = lambda / (2 - lambda);
  let z = mean;
  let decay = 1; // (1 − λ)^{2t}, updated by multiplication so no pow per step
  for (let index = 0; index < n; index++) {
    z = lambda * (values[index] as number) + (1 - lambda) * z;
    decay *= (1 - lambda) * (1 - lambda);
    const halfWidth = limitWidth * sigma * Math.sqrt(ratio * (1 - decay));
    statistic[index] = z;
    lower[index] = mean - halfWidth;
    upper[index] = mean + halfWidth;
    if (z < mean - halfWidth || z > mean + halfWidth) alarms.push(index);
  }
  const asymptotic = limitWidth * sigma * Math.sqrt(ratio);
  return {
    statistic,
    lower,
    upper,
    asymptoticLower: mean - asymptotic,
    asymptoticUpper: mean + asymptotic,
    alarms,
    firstAlarm: alarms[0],
  };
}

export function resolveEwmaOptions(options: { lambda?: number; limitWidth?: number }): { lambda: number; limitWidth: number } {
  const lambda = options.lambda ?? 0.2;
  const limitWidth = options.limitWidth ?? 3;
  if (!(lambda > 0 && lambda <= 1)) throw new RangeError(`ewmaChart: lambda must be in (0, 1], got ${lambda}`);
  if (!(limitWidth > 0)) throw new RangeError(`ewmaChart: limitWidth must be positive, got ${limitWidth}`);
  return { lambda, limitWidth };
}
