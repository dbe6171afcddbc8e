/**
 * Exact two-sided p-value of the two-sample Kolmogorov–Smirnov statistic,
 * as scipy 1.10 ks_2samp(method='exact') computes it: the share of lattice
 * paths from (0, 0) to (m, n) that touch |x/m − y/n| ≥ d. The statistic is
 * first snapped to h/lcm(m, n), the nearest value D can take.
 */
export interface ExactKsResult {
  /** d rounded to h/lcm(m, n), as scipy returns it. */
  statistic: number;
  pValue: number;
}

export function exactKsPValue(m: number, n: number, d: number): ExactKsResult | undefined {
  const g = greatestCommonDivisor(m, n);
  const lcm = (m / g) * n;
  const h = Math.round(d * lcm);
  const statistic = h / lcm;
  if (h === 0) return { statistic, pValue: 1 };
  const pValue = m === n ? probabilityOutsideSquare(n, h) : probabilityOutsideInside(m, n, g, h);
  if (!(pValue >= 0 && pValue <= 1)) return undefined; // scipy falls back to 'asymp' here
  return { statistic, pValue };
}

/**
 * m = n: P(D ≥ h/n) = 2·Σ_k (−1)^{k+1} C(2n, n − kh)/C(2n, n), evaluated in
 * Horner form so no large binomial is formed (scipy `_compute_prob_outside_square`).
 */
function probabilityOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    for (let j = 0; j < h; j++) ratio = ((n - k * h - j) * ratio) / (n + k * h + j + 1);
    p = ratio * (1 - p);
  }
  return 2 * p;
}

/**
 * m ≠ n: the "inside" recursion of Hodges (1958) rewritten by Viehmann
 * (2021) to carry 1 − p directly, one sliding column at a time, which avoids
 * both huge path counts and the cancellation of 1 − (inside share).
 */
function probabilityOutsideInside(first: number, second: number, g: number, h: number): number {
  const m = Math.max(first, second);
  const n = Math.min(first, second);
  const mg = m / g;
  const ng = n / g;
  let minJ = 0;
  let maxJ = Math.min(Math.ceil(h / mg), n + 1);
  let currentLength = maxJ - minJ;
  const column = new Float64Array(Math.min(2 * maxJ + 2, n + 1)).fill(1);
  column.fill(0, minJ, maxJ);
  for (let i = 1; i <= m; i++) {
    const lastMinJ = minJ;
    const lastLength = currentLength;
    minJ = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxJ = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxJ <= minJ) return 1;
    let value = minJ === 0 ? 0 : 1;
    for (let offset = 0; offset < maxJ - minJ; offset++) {
      const j = offset + minJ;
      value = ((column[offset + minJ - lastMinJ] as number) * i + value * j) / (i + j);
      column[offset] = value;
    }
    currentLength = maxJ - minJ;
    if (lastLength > currentLength) column.fill(1, maxJ - minJ, maxJ - minJ + (lastLength - currentLength));
  }
  return column[maxJ - minJ - 1] as number;
}

export function greatestCommonDivisor(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}
