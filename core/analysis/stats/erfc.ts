import { regularizedGammaP, regularizedGammaQ, upperGammaContinuedFraction } from './incomplete-gamma.js';

const SQRT_PI = Math.sqrt(Math.PI);

/**
 * erf and erfc through the incomplete gamma function:
 * erf(x) = P(1/2, x²), erfc(x) = Q(1/2, x²) for x ≥ 0. Q is computed as an
 * upper tail directly (continued fraction), so erfc(10) ≈ 2.1e-45 keeps full
 * relative precision, which a `1 − erf` or a low-order rational fit cannot.
 *
 * The one weak spot is the rounding of x² inside exp(−x²): one ulp of x²
 * is a relative error of x²·2⁻⁵³ in the result. As in W. J. Cody's CALERF we
 * split x into a 1/16-truncated head and a tail so that exp(−x²) is a
 * product of an exactly representable part and a small correction.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return -erf(-x);
  if (x === 0) return 0;
  if (x * x < 1.5) return regularizedGammaP(0.5, x * x);
  return 1 - erfc(x);
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x === 0) return 1;
  if (x > 27.3) return 0; // erfc(27.3) < 1e-325: below the smallest subnormal.
  const squared = x * x;
  if (squared < 1.5) return regularizedGammaQ(0.5, squared);
  // Q(1/2, s) = e^(−s) s^(1/2) / Γ(1/2) × CF(s); the CF is insensitive to
  // one ulp of s, so only the exponential needs the exact split.
  return (x / SQRT_PI) * exactExpMinusSquare(x) * upperGammaContinuedFraction(0.5, squared);
}

/** exp(−x²) with x² effectively exact: x = head + tail, head a multiple of 1/16. */
function exactExpMinusSquare(x: number): number {
  const head = Math.trunc(x * 16) / 16;
  const tail = x - head;
  return Math.exp(-head * head) * Math.exp(-tail * (x + head));
}
