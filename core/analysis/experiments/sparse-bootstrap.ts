import { createRng, type Rng } from '../../random/rng.js';
import { percentile, type BootstrapOptions } from './revenue-uplift.js';

/**
 * The percentile bootstrap of bootstrapMeanDifference (each arm resampled
 * separately, n draws with replacement), drawn in time proportional to the
 * members with revenue instead of all members. Most members of a campaign
 * buy nothing, and a zero adds nothing to a sum: of n draws from an arm
 * with k non-zero values, the number landing on one of them is
 * Binomial(n, k/n), and given that number they are uniform over the k. So
 * each resample draws that count (exactly, by geometric skips) and then
 * only the non-zero values: the same distribution of resampled means, at
 * 2000 resamples of 1M members with 10% buyers about a tenth of the draws.
 */
export function sparseBootstrapMeanDifference(
  treatment: ArrayLike<number>,
  control: ArrayLike<number>,
  options: BootstrapOptions,
): { low: number; high: number; resamples: number } {
  const resamples = options.resamples ?? 2000;
  const alpha = options.alpha ?? 0.05;
  const rng = createRng(options.seed);
  const arms = [treatment, control].map((values) => ({ n: values.length, nonzero: Float64Array.from(Array.prototype.filter.call(values, (value: number) => value !== 0) as number[]) }));
  const [treated, held] = arms as [Arm, Arm];
  const differences = new Float64Array(resamples);
  for (let draw = 0; draw < resamples; draw++) differences[draw] = resampledMean(treated, rng) - resampledMean(held, rng);
  differences.sort();
  return { low: percentile(differences, alpha / 2), high: percentile(differences, 1 - alpha / 2), resamples };
}

interface Arm {
  n: number;
  nonzero: Float64Array;
}

function resampledMean({ n, nonzero }: Arm, rng: Rng): number {
  if (nonzero.length === 0) return 0;
  const hits = binomialDraw(n, nonzero.length / n, rng);
  let sum = 0;
  for (let index = 0; index < hits; index++) sum += nonzero[rng.int(nonzero.length)] as number;
  return sum / n;
}

/**
 * An exact Binomial(n, p) draw in O(n·min(p, 1 − p)) steps: the gaps
 * between successes of Bernoulli trials are geometric, floor(ln U / ln(1 − p)) + 1,
 * so counting the gaps that fit in n trials counts the successes. Above
 * p = 1/2 the failures are counted instead.
 */
export function binomialDraw(n: number, p: number, rng: Rng): number {
  if (p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomialDraw(n, 1 - p, rng);
  const logFailure = Math.log1p(-p);
  let count = 0;
  // 1 − next() is in (0, 1], so the log is finite.
  for (let position = 0; ; count++) {
    position += Math.floor(Math.log(1 - rng.next()) / logFailure) + 1;
    if (position > n) return count;
  }
}
