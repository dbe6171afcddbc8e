import { logBeta } from './log-gamma.js';

/**
 * Regularized incomplete beta I_x(a, b) by the Lentz continued fraction
 * (Numerical Recipes §6.4). The fraction converges fast for
 * x < (a + 1) / (a + b + 2); above that the symmetry
 * I_x(a, b) = 1 − I_{1−x}(b, a) is used.
 *
 * Callers pass the complement `y = 1 − x` explicitly when they know it
 * exactly (for Student t, x = ν/(ν+t²) and y = t²/(ν+t²)): computing 1 − x
 * in doubles throws away every digit of a small y, and log(y) is in the
 * prefactor, so the tail would lose its relative accuracy.
 */
const EPSILON = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;

export function regularizedBeta(x: number, a: number, b: number, complement: number = 1 - x): number {
  if (!(a > 0) || !(b > 0)) throw new RangeError(`regularizedBeta: need a > 0 and b > 0, got a=${a}, b=${b}`);
  if (!(x >= 0 && x <= 1)) throw new RangeError(`regularizedBeta: need 0 <= x <= 1, got x=${x}`);
  if (x === 0) return 0;
  if (complement === 0) return 1;
  if (x < (a + 1) / (a + b + 2)) return betaTail(x, complement, a, b);
  return 1 - betaTail(complement, x, b, a);
}

/** The upper tail 1 − I_x(a, b) = I_{1−x}(b, a), computed directly. */
export function regularizedBetaComplement(x: number, a: number, b: number, complement: number = 1 - x): number {
  return regularizedBeta(complement, b, a, x);
}

/** x^a (1−x)^b / (a B(a,b)) × continued fraction, valid where the fraction converges fast. */
function betaTail(x: number, y: number, a: number, b: number): number {
  const logFront = a * Math.log(x) + b * Math.log(y) - logBeta(a, b);
  return (Math.exp(logFront) * continuedFraction(x, a, b)) / a;
}

function continuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    // Even step of the fraction.
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    // Odd step.
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return h;
  }
  throw new RangeError(`regularizedBeta: continued fraction did not converge for x=${x}, a=${a}, b=${b}`);
}
