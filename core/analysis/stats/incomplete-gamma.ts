import { logGamma } from './log-gamma.js';

/**
 * Regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 − P(a, x),
 * after Numerical Recipes §6.2: the power series where it converges fast
 * (x < a + 1) and the Lentz continued fraction elsewhere. Each function
 * computes *its own* tail directly and only subtracts from 1 when the result
 * is ≥ ~0.1, so a survival probability of 1e-50 is never `1 − 0.999…` (which
 * would be 0 in doubles).
 */
const EPSILON = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;

export function regularizedGammaP(a: number, x: number): number {
  checkArguments('regularizedGammaP', a, x);
  if (x === 0) return 0;
  if (x === Number.POSITIVE_INFINITY) return 1;
  if (x < a + 1) return lowerSeries(a, x);
  return 1 - Math.exp(logPrefactor(a, x)) * upperGammaContinuedFraction(a, x);
}

export function regularizedGammaQ(a: number, x: number): number {
  checkArguments('regularizedGammaQ', a, x);
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  if (x < a + 1) return 1 - lowerSeries(a, x);
  return Math.exp(logPrefactor(a, x)) * upperGammaContinuedFraction(a, x);
}

/** log of x^a e^(−x) / Γ(a), the factor shared by the series and the fraction. */
function logPrefactor(a: number, x: number): number {
  return a * Math.log(x) - x - logGamma(a);
}

function lowerSeries(a: number, x: number): number {
  let denominator = a;
  let term = 1 / a;
  let sum = term;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    denominator += 1;
    term *= x / denominator;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) return sum * Math.exp(logPrefactor(a, x));
  }
  throw new RangeError(`regularizedGammaP: series did not converge for a=${a}, x=${x}`);
}

/**
 * Modified Lentz evaluation of Q's continued fraction (NR eq. 6.2.7), without
 * the x^a e^(−x) / Γ(a) factor, so callers that can form that factor more
 * exactly (erfc) may do so. Converges fast for x ≥ a + 1.
 */
export function upperGammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let iteration = 1; iteration < MAX_ITERATIONS; iteration++) {
    const an = -iteration * (iteration - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return h;
  }
  throw new RangeError(`regularizedGammaQ: continued fraction did not converge for a=${a}, x=${x}`);
}

function checkArguments(caller: string, a: number, x: number): void {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`${caller}: need a > 0 and x >= 0, got a=${a}, x=${x}`);
}
