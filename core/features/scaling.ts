/**
 * Feature scaling for models, with scikit-learn's semantics (StandardScaler,
 * MinMaxScaler, RobustScaler): NaN is missing, ignored when fitting and kept
 * when transforming; a constant column scales to 0 (standard, min-max) or is
 * only centred (robust: a zero IQR is replaced by 1). Flat Float64Arrays, so a
 * million-row column costs 8 MB and no boxing.
 */
export type ScalingMethod = 'zscore' | 'minmax' | 'robust';

export interface Scaler {
  method: ScalingMethod;
  center: number;
  scale: number;
}

export function fitScaler(values: Float64Array, method: ScalingMethod): Scaler {
  const present = values.filter((value) => !Number.isNaN(value));
  if (present.length === 0) return { method, center: 0, scale: 1 };
  switch (method) {
    case 'zscore': {
      let sum = 0;
      for (const value of present) sum += value;
      const mean = sum / present.length;
      let squares = 0;
      for (const value of present) squares += (value - mean) ** 2;
      const deviation = Math.sqrt(squares / present.length); // population (ddof = 0), as sklearn
      return { method, center: mean, scale: deviation === 0 ? 1 : deviation };
    }
    case 'minmax': {
      let min = Infinity;
      let max = -Infinity;
      for (const value of present) {
        if (value < min) min = value;
        if (value > max) max = value;
      }
      return { method, center: min, scale: max === min ? 1 : max - min };
    }
    case 'robust': {
      const sorted = present.sort();
      const iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25);
      return { method, center: quantile(sorted, 0.5), scale: iqr === 0 ? 1 : iqr };
    }
  }
}

export function applyScaler(values: Float64Array, scaler: Scaler): Float64Array {
  const out = new Float64Array(values.length);
  for (let index = 0; index < values.length; index++) out[index] = (values[index]! - scaler.center) / scaler.scale;
  return out;
}

/** Linear-interpolation quantile of sorted data (numpy's default, used by sklearn). */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}
