import { mean } from '../stats/index.js';
import { cuped, type CupedResult } from './cuped.js';
import type { Arm } from './holdout-assignment.js';
import { welchTTest, type WelchTest } from './revenue-uplift.js';
import { membersForHoldout, twoProportionSampleSize } from './sample-size.js';
import { sparseBootstrapMeanDifference } from './sparse-bootstrap.js';
import { dailyConversionLooks, sequentialConversion, type SequentialConversion } from './sequential-conversion.js';
import { proportionUplift, type ProportionUplift } from './uplift.js';

/** One member of an experiment's segment, after the window (or as much of it as has passed). */
export interface MemberOutcome {
  arm: Arm;
  /** Days from start to the member's first conversion in the window (fractional), null when none. */
  convertedAfterDays: number | null;
  /** Revenue of the member's conversion events in the window; 0 when none. */
  revenue: number;
  /** The pre-period covariate, when the experiment has one. */
  covariate?: number;
}

export interface UpliftOptions {
  holdoutShare: number;
  /** Whole days since start that the data covers: one mSPRT look per day. */
  daysObserved: number;
  /** Seed of the bootstrap resampling: the same seed gives the same interval. */
  seed: number;
  /** Absolute lift in conversion rate worth detecting. @default 10% of the holdout's rate */
  minimumDetectableEffect?: number;
  /** @default 0.05 */
  alpha?: number;
  /** @default 2000 */
  resamples?: number;
}

export interface ArmOutcome {
  members: number;
  conversions: number;
  conversionRate: number;
  revenuePerMember: number;
}

export interface ExperimentUplift {
  treatment: ArmOutcome;
  holdout: ArmOutcome;
  /** Two-proportion z test (pooled SE) with Newcombe's and Wald's intervals for treatment − holdout. */
  conversion: ProportionUplift;
  /** Welch's t on revenue per member, with a percentile bootstrap interval of the same difference. */
  revenue: { welch: WelchTest; bootstrap: { low: number; high: number; resamples: number; seed: number } };
  /** CUPED-adjusted Welch tests; null without a covariate, or when it is constant (with the reason). */
  cuped: { conversion: CupedResult; revenue: CupedResult } | null;
  cupedNote?: string;
  /** Always-valid p-value for the conversion difference over daily looks since start. */
  sequential: SequentialConversion;
  /**
   * Members each equal arm needs to detect the MDE at the holdout's observed
   * rate (statsmodels' solve_power), and what the segment needs at this
   * holdout share. Null when the holdout's rate leaves no room for the MDE.
   */
  sampleSize: { baselineRate: number; minimumDetectableEffect: number; perArm: number; membersNeeded: number; enough: boolean } | null;
}

/**
 * The uplift of treatment over holdout on conversion and revenue per member
 * (issue 12, part 5). Pure: the members' outcomes in, every test out. Each
 * arm needs at least two members (Welch's variance); the caller says so
 * otherwise.
 */
export function experimentUplift(members: readonly MemberOutcome[], options: UpliftOptions): ExperimentUplift {
  const arms = { treatment: members.filter((member) => member.arm === 'treatment'), holdout: members.filter((member) => member.arm === 'holdout') };
  if (arms.treatment.length < 2 || arms.holdout.length < 2) {
    throw new RangeError(`experimentUplift: each arm needs at least 2 members (treatment ${arms.treatment.length}, holdout ${arms.holdout.length})`);
  }
  const alpha = options.alpha ?? 0.05;
  const counts = (rows: readonly MemberOutcome[]) => ({ conversions: rows.filter((row) => row.convertedAfterDays !== null).length, n: rows.length });
  const treatment = counts(arms.treatment);
  const holdout = counts(arms.holdout);
  const revenue = { treatment: Float64Array.from(arms.treatment, (row) => row.revenue), holdout: Float64Array.from(arms.holdout, (row) => row.revenue) };
  const baselineRate = holdout.conversions / holdout.n;
  // A data-driven default that looks only at the holdout, never at the difference being tested.
  const minimumDetectableEffect = options.minimumDetectableEffect ?? Math.max(0.1 * baselineRate, 0.001);
  const bootstrap = sparseBootstrapMeanDifference(revenue.treatment, revenue.holdout, { seed: options.seed, alpha, ...(options.resamples ? { resamples: options.resamples } : {}) });
  return {
    treatment: armOutcome(treatment, revenue.treatment),
    holdout: armOutcome(holdout, revenue.holdout),
    conversion: proportionUplift(treatment, holdout, { alpha }),
    revenue: { welch: welchTTest(revenue.treatment, revenue.holdout, { alpha }), bootstrap: { ...bootstrap, seed: options.seed } },
    ...cupedTests(arms),
    sequential: sequentialConversion(dailyConversionLooks(members, Math.max(1, options.daysObserved)), { mixtureVariance: minimumDetectableEffect ** 2, alpha }),
    sampleSize: sampleSize(baselineRate, minimumDetectableEffect, options.holdoutShare, members.length, alpha),
  };
}

function armOutcome(counts: { conversions: number; n: number }, revenue: Float64Array): ArmOutcome {
  return { members: counts.n, conversions: counts.conversions, conversionRate: counts.conversions / counts.n, revenuePerMember: mean(revenue) };
}

function cupedTests(arms: Record<Arm, readonly MemberOutcome[]>): Pick<ExperimentUplift, 'cuped' | 'cupedNote'> {
  if (!arms.treatment.every((row) => row.covariate !== undefined) || !arms.holdout.every((row) => row.covariate !== undefined)) return { cuped: null };
  const observations = (rows: readonly MemberOutcome[], outcome: (row: MemberOutcome) => number) => rows.map((row) => ({ y: outcome(row), x: row.covariate as number }));
  const covariates = [...arms.treatment, ...arms.holdout].map((row) => row.covariate as number);
  if (covariates.every((value) => value === covariates[0])) {
    return { cuped: null, cupedNote: 'the pre-period covariate is the same for every member (nothing before start?), so CUPED cannot reduce variance' };
  }
  const converted = (row: MemberOutcome) => (row.convertedAfterDays === null ? 0 : 1);
  return {
    cuped: {
      conversion: cuped(observations(arms.treatment, converted), observations(arms.holdout, converted)),
      revenue: cuped(observations(arms.treatment, (row) => row.revenue), observations(arms.holdout, (row) => row.revenue)),
    },
  };
}

function sampleSize(baselineRate: number, minimumDetectableEffect: number, holdoutShare: number, members: number, alpha: number): ExperimentUplift['sampleSize'] {
  if (!(baselineRate > 0 && baselineRate + minimumDetectableEffect < 1)) return null;
  const size = twoProportionSampleSize({ baselineRate, minimumDetectableEffect, alpha });
  const needed = membersForHoldout(size.exact, holdoutShare).members;
  return { baselineRate, minimumDetectableEffect, perArm: size.perArm, membersNeeded: needed, enough: members >= needed };
}
