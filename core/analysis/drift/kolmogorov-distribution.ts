/**
 * Survival function of the two-sided one-sample Kolmogorov statistic D_n,
 * P(D_n > x), following the regime choices of Simard & L'Ecuyer (2011) in
 * the order scipy.stats.kstwo.sf makes them (scipy 1.10 `_kolmogn`).
 * ks_2samp(method='asymp') evaluates this at n = round(m·n/(m + n)), so the
 * two-sample p-value is reproduced only if every branch is the same one.
 */
import { durbinMatrixCdf, pelzGoodCdf, pomeranzCdf } from './kolmogorov-algorithms.js';

const LOG_2PI = Math.log(2 * Math.PI);
// scipy's coefficients, written to the 17 digits a double holds.
const STIRLING_COEFFICIENTS = [
  -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417,
  -0.0005952380952380953, 0.0007936507936507937, -0.002777777777777778, 0.08333333333333333,
];

export function kolmogorovSurvival(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    // Ruben–Gambino: P(D_n ≤ x) = n!/n^n · (2t − 1)^n on [1/2n, 1/n].
    if (t <= 0.5) return 1;
    const cdf = n <= 140 ? smallFactorialProduct(n, t) : Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSurvival(n, x));
  const nxSquared = t * x;
  if (n <= 140) {
    if (nxSquared <= 0.754693) return clip(1 - durbinMatrixCdf(n, x));
    if (nxSquared <= 4) return clip(1 - pomeranzCdf(n, x));
    return clip(2 * smirnovSurvival(n, x));
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clip(2 * smirnovSurvival(n, x));
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? durbinMatrixCdf(n, x) : pelzGoodCdf(n, x);
  return clip(1 - cdf);
}

/**
 * One-sided Smirnov survival P(D⁺_n ≥ x) by the Birnbaum–Tingey sum
 *   x · Σ_{v=0}^{⌊n(1−x)⌋} C(n, v) (x + v/n)^{v−1} (1 − x − v/n)^{n−v}.
 * Every term is positive, so plain double summation is stable; terms are
 * formed in logs because C(n, v) overflows long before n reaches 10⁴.
 */
export function smirnovSurvival(n: number, x: number): number {
  if (!(x >= 0 && x <= 1)) return Number.NaN;
  if (x === 0) return 1;
  const last = Math.floor(n * (1 - x));
  let logBinomial = 0;
  let sum = 0;
  for (let v = 0; v <= last; v++) {
    const at = x + v / n;
    const rest = 1 - at;
    if (rest > 0) {
      const logTerm = logBinomial + (v - 1) * Math.log(at) + (n - v) * Math.log(rest);
      sum += Math.exp(logTerm);
    } else if (v === n) {
      sum += at ** (v - 1); // 0^0 = 1: the v = n term when x + v/n hits 1
    }
    logBinomial += Math.log((n - v) / (v + 1));
  }
  return Math.min(1, sum * x);
}

function smallFactorialProduct(n: number, t: number): number {
  let product = 1;
  for (let index = 1; index <= n; index++) product *= index * (1 / n) * (2 * t - 1);
  return product;
}

/** log(n!/n^n) by Stirling's series (scipy `_log_nfactorial_div_n_pow_n`). */
function logFactorialOverPower(n: number): number {
  const reciprocal = 1 / n;
  let series = 0;
  for (const coefficient of STIRLING_COEFFICIENTS) series = series * (reciprocal / n) + coefficient;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + reciprocal * series;
}

function clip(p: number): number {
  return Math.min(1, Math.max(0, p));
}
