import { msprtLogLikelihoodRatio } from './msprt.js';
import type { ArmCounts } from './uplift.js';

/** One look at the experiment: each arm's members and conversions so far. */
export interface ConversionLook {
  treatment: ArmCounts;
  control: ArmCounts;
}

export interface SequentialConversion {
  /** Always-valid p-value after the last look: non-increasing over looks, may be watched after every one. */
  pValue: number;
  looks: number;
  /** The first look (1-based) at which the p-value reached alpha; null if it never did. */
  firstSignificantLook: number | null;
  mixtureVariance: number;
}

/**
 * The mSPRT of msprt.ts over repeated looks at arms of unequal size (a 10%
 * holdout). The likelihood ratio depends on the data only through the
 * difference in rates d and its variance W = σ²(1/n_T + 1/n_C), and equals
 * the paired form with n = 2 / (1/n_T + 1/n_C) pairs (the arms' harmonic
 * mean), so the paired function is reused with that n. σ² is the pooled
 * Bernoulli variance at each look, Laplace-smoothed as in
 * msprt-proportions.ts so a look with no conversions yet gives no evidence
 * rather than an infinite ratio. p = min over looks of 1/Λ (Johari et al.
 * 2017), the p-value an analyst may check every day without inflating the
 * false positive rate the way re-reading a fixed-horizon z test does.
 */
export function sequentialConversion(looks: readonly ConversionLook[], options: { mixtureVariance: number; alpha?: number }): SequentialConversion {
  const alpha = options.alpha ?? 0.05;
  let pValue = 1;
  let firstSignificantLook: number | null = null;
  looks.forEach(({ treatment, control }, index) => {
    if (treatment.n === 0 || control.n === 0) return;
    const pooled = (treatment.conversions + control.conversions + 1) / (treatment.n + control.n + 2);
    const difference = treatment.conversions / treatment.n - control.conversions / control.n;
    const pairs = 2 / (1 / treatment.n + 1 / control.n);
    const logRatio = msprtLogLikelihoodRatio(pairs, difference, { variance: pooled * (1 - pooled), mixtureVariance: options.mixtureVariance });
    pValue = Math.min(pValue, Math.exp(-logRatio));
    if (firstSignificantLook === null && pValue <= alpha) firstSignificantLook = index + 1;
  });
  return { pValue, looks: looks.length, firstSignificantLook, mixtureVariance: options.mixtureVariance };
}

/**
 * Daily looks from each member's conversion day: look d (1-based) counts
 * the members who converted within the first d days after start. The
 * members are fixed; what grows from look to look is who has converted.
 */
export function dailyConversionLooks(
  members: ReadonlyArray<{ arm: 'treatment' | 'holdout'; convertedAfterDays: number | null }>,
  days: number,
): ConversionLook[] {
  const byDay = { treatment: new Float64Array(days), holdout: new Float64Array(days) };
  const sizes = { treatment: 0, holdout: 0 };
  for (const member of members) {
    sizes[member.arm] += 1;
    if (member.convertedAfterDays === null) continue;
    const day = Math.floor(member.convertedAfterDays);
    if (day >= 0 && day < days) byDay[member.arm][day] = (byDay[member.arm][day] as number) + 1;
  }
  const looks: ConversionLook[] = [];
  let treated = 0;
  let held = 0;
  for (let day = 0; day < days; day++) {
    treated += byDay.treatment[day] as number;
    held += byDay.holdout[day] as number;
    looks.push({ treatment: { conversions: treated, n: sizes.treatment }, control: { conversions: held, n: sizes.holdout } });
  }
  return looks;
}
