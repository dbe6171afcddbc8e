/**
 * Strength of trend and seasonality from an STL decomposition
 * (Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", 3rd ed., §4.3):
 *   F_T = max(0, 1 − Var(R) / Var(T + R)),  F_S = max(0, 1 − Var(R) / Var(S + R)).
 * 0 means no trend / season beyond the noise, values near 1 a strong one.
 */
export interface Strength {
  readonly trend: number;
  readonly seasonal: number;
}

/** Population variance of a + b (b optional), two-pass for accuracy. */
function variance(a: ArrayLike<number>, b?: ArrayLike<number>): number {
  const n = a.length;
  const at = (i: number): number => (a[i] as number) + (b === undefined ? 0 : (b[i] as number));
  let mean = 0;
  for (let i = 0; i < n; i += 1) mean += at(i);
  mean /= n;
  let sum = 0;
  for (let i = 0; i < n; i += 1) {
    const d = at(i) - mean;
    sum += d * d;
  }
  return sum / n;
}

function strengthOf(component: ArrayLike<number>, resid: ArrayLike<number>): number {
  const total = variance(component, resid);
  // A constant component plus constant remainder: nothing to explain, so no strength.
  if (total === 0) return 0;
  return Math.max(0, 1 - variance(resid) / total);
}

export function strength(decomposition: {
  readonly trend: ArrayLike<number>;
  readonly seasonal: ArrayLike<number>;
  readonly resid: ArrayLike<number>;
}): Strength {
  const { trend, seasonal, resid } = decomposition;
  if (trend.length === 0 || trend.length !== seasonal.length || trend.length !== resid.length) {
    throw new RangeError(`strength: components must be non-empty and of equal length, got ${trend.length}, ${seasonal.length}, ${resid.length}`);
  }
  return { trend: strengthOf(trend, resid), seasonal: strengthOf(seasonal, resid) };
}
