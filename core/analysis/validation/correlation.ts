import { averageRanks, mean, studentTTwoSidedP } from '../stats/index.js';

export interface Correlation {
  coefficient: number;
  /** Two-sided, from t = r √((n − 2)/(1 − r²)) with n − 2 df. */
  p: number;
  n: number;
}

/** Pearson correlation of a segment score with a KPI, as scipy.stats.pearsonr. */
export function pearsonCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): Correlation {
  checkPairs('pearsonCorrelation', x, y);
  const meanX = mean(x);
  const meanY = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let index = 0; index < x.length; index++) {
    const dx = (x[index] as number) - meanX;
    const dy = (y[index] as number) - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) throw new RangeError('pearsonCorrelation: one input is constant, so the correlation is undefined');
  const coefficient = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  return { coefficient, p: correlationP(coefficient, x.length), n: x.length };
}

/**
 * Spearman rank correlation (Pearson on average ranks), as scipy.stats.spearmanr.
 * Preferred for scores against revenue: monotone, not linear, and robust to whales.
 */
export function spearmanCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): Correlation {
  checkPairs('spearmanCorrelation', x, y);
  return pearsonCorrelation(averageRanks(x).ranks, averageRanks(y).ranks);
}

function correlationP(r: number, n: number): number {
  if (Math.abs(r) === 1) return 0;
  // (1 − r)(1 + r) rather than 1 − r²: for r near ±1 the subtraction keeps the digits.
  const t = r * Math.sqrt((n - 2) / ((1 - r) * (1 + r)));
  return studentTTwoSidedP(t, n - 2);
}

function checkPairs(caller: string, x: ArrayLike<number>, y: ArrayLike<number>): void {
  if (x.length !== y.length) throw new RangeError(`${caller}: x has ${x.length} values but y has ${y.length}`);
  if (x.length < 3) throw new RangeError(`${caller}: need at least 3 pairs for a p-value, got ${x.length}`);
}
