/**
 * Standard normal CDF for the run-length Markov chains. Their transition
 * probabilities are differences of Φ at nearby points, so a crude
 * approximation (Abramowitz–Stegun 7.1.26, 1e-7) would swamp the small
 * tail probabilities; the series + continued fraction pair below is
 * accurate to about 1e-15 in double precision.
 */
const SQRT_PI = Math.sqrt(Math.PI);

/** Φ(x) = P(Z ≤ x) for Z ~ N(0, 1). */
export function normalCdf(x: number): number {
  const t = x / Math.SQRT2;
  return t < 0 ? 0.5 * erfc(-t) : 1 - 0.5 * erfc(t);
}

/** Complementary error function for t ≥ 0 (negative t reflected). */
export function erfc(t: number): number {
  if (t < 0) return 2 - erfc(-t);
  return t < 2.5 ? 1 - erfSeries(t) : erfcContinuedFraction(t);
}

// The Maclaurin series alternates, so its terms grow to about e^{t²}
// before shrinking; below 2.5 that costs at most ~3 digits.
function erfSeries(t: number): number {
  const t2 = t * t;
  let term = t;
  let sum = t;
  for (let n = 1; n < 200; n++) {
    term *= -t2 / n;
    const next = term / (2 * n + 1);
    sum += next;
    if (Math.abs(next) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / SQRT_PI) * sum;
}

// erfc(t) = e^{-t²}/√π · 1/(t + 1/2/(t + 1/(t + 3/2/(t + …)))), evaluated by
// the modified Lentz method; it converges fast for t ≥ 2.5.
function erfcContinuedFraction(t: number): number {
  const tiny = 1e-300;
  let f = t;
  let c = t;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = t + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = t + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-t * t) / SQRT_PI / f;
}
