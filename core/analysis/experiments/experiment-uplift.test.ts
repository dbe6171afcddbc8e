import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { relativeError } from '../stats/index.js';
import { experimentUplift, membersForHoldout, type MemberOutcome } from './index.js';

interface OracleCase {
  name: string;
  holdout_share: number;
  days_observed: number;
  minimum_detectable_effect: number;
  members: { holdout: number[]; day: number[]; revenue: number[]; pre: number[] };
  expected: {
    conversions: [number, number];
    sizes: [number, number];
    z: number;
    p: number;
    newcombe: [number, number];
    welch: { t: number; p: number; low: number; high: number };
    cuped_revenue: CupedOracle;
    cuped_conversion: CupedOracle;
    msprt: { p: number; first_significant_look: number | null; looks: number };
    sample_size: { per_arm_exact: number; members_exact: number };
  };
}
interface CupedOracle { theta: number; t: number; p: number; difference: number; variance_reduction: number }

const { cases } = JSON.parse(readFileSync(new URL('../../../test/fixtures/stats/experiment-uplift.json', import.meta.url), 'utf8')) as { cases: OracleCase[] };

function members(oracle: OracleCase): MemberOutcome[] {
  const { holdout, day, revenue, pre } = oracle.members;
  return holdout.map((held, index) => ({
    arm: held === 1 ? 'holdout' : 'treatment',
    convertedAfterDays: (day[index] as number) < 0 ? null : (day[index] as number),
    revenue: revenue[index] as number,
    covariate: pre[index] as number,
  }));
}

function uplift(oracle: OracleCase, seed = 7) {
  return experimentUplift(members(oracle), {
    holdoutShare: oracle.holdout_share, daysObserved: oracle.days_observed, seed, minimumDetectableEffect: oracle.minimum_detectable_effect,
  });
}

function expectRelative(actual: number, expected: number, tolerance = 1e-9): void {
  expect(relativeError(actual, expected), `got ${actual}, oracle says ${expected}`).toBeLessThan(tolerance);
}

describe('experiment uplift matches statsmodels and scipy (test/oracles/experiment_uplift_oracle.py)', () => {
  describe.each(cases)('$name', (oracle) => {
    const result = uplift(oracle);
    const expected = oracle.expected;

    it('counts each arm as the oracle does', () => {
      expect([result.treatment.conversions, result.holdout.conversions]).toEqual(expected.conversions);
      expect([result.treatment.members, result.holdout.members]).toEqual(expected.sizes);
    });

    it('conversion: z, p and the Newcombe interval to 1e-9 relative', () => {
      expectRelative(result.conversion.z, expected.z);
      expectRelative(result.conversion.p, expected.p);
      expectRelative(result.conversion.newcombe.low, expected.newcombe[0]);
      expectRelative(result.conversion.newcombe.high, expected.newcombe[1]);
    });

    it("revenue: Welch's t, p and interval to 1e-9 relative", () => {
      expectRelative(result.revenue.welch.t, expected.welch.t);
      expectRelative(result.revenue.welch.p, expected.welch.p);
      expectRelative(result.revenue.welch.low, expected.welch.low);
      expectRelative(result.revenue.welch.high, expected.welch.high);
    });

    it('CUPED: θ equals the OLS slope, and the adjusted Welch test matches, on revenue and on conversion', () => {
      for (const [ours, theirs] of [[result.cuped?.revenue, expected.cuped_revenue], [result.cuped?.conversion, expected.cuped_conversion]] as const) {
        expectRelative(ours?.theta as number, theirs.theta);
        expectRelative(ours?.test.t as number, theirs.t);
        expectRelative(ours?.test.p as number, theirs.p);
        expectRelative(ours?.test.difference as number, theirs.difference);
        expectRelative(ours?.varianceReduction as number, theirs.variance_reduction, 1e-8);
      }
    });

    it('CUPED narrows the revenue interval (the pre-period spend predicts the spend after start)', () => {
      const raw = result.revenue.welch.high - result.revenue.welch.low;
      const adjusted = (result.cuped?.revenue.test.high as number) - (result.cuped?.revenue.test.low as number);
      expect(adjusted).toBeLessThan(raw);
    });

    it('mSPRT over daily looks: the always-valid p-value of the oracle, never below the fixed-horizon p here', () => {
      expectRelative(result.sequential.pValue, expected.msprt.p);
      expect(result.sequential.looks).toBe(expected.msprt.looks);
      expect(result.sequential.firstSignificantLook).toBe(expected.msprt.first_significant_look);
      expect(result.sequential.pValue).toBeGreaterThan(result.conversion.p);
    });

    it('sample size at the observed baseline: per arm and for the segment at its holdout share, as solve_power', () => {
      expect(result.sampleSize?.perArm).toBe(Math.ceil(expected.sample_size.per_arm_exact));
      expect(result.sampleSize?.membersNeeded).toBe(Math.ceil(expected.sample_size.members_exact));
      expect(result.sampleSize?.enough).toBe(oracle.members.holdout.length >= Math.ceil(expected.sample_size.members_exact));
      expectRelative(membersForHoldout(expected.sample_size.per_arm_exact, oracle.holdout_share).exact, expected.sample_size.members_exact, 1e-6);
    });

    it('bootstrap: the same seed gives the same interval, close to Welch\'s on 2000 resamples', () => {
      expect(uplift(oracle).revenue.bootstrap).toEqual(result.revenue.bootstrap);
      expect(uplift(oracle, 8).revenue.bootstrap).not.toEqual(result.revenue.bootstrap);
      const width = expected.welch.high - expected.welch.low;
      expect(Math.abs(result.revenue.bootstrap.low - expected.welch.low)).toBeLessThan(0.15 * width);
      expect(Math.abs(result.revenue.bootstrap.high - expected.welch.high)).toBeLessThan(0.15 * width);
    });
  });

  it('leaves CUPED out when the covariate is constant, and says why', () => {
    const oracle = cases[0] as OracleCase;
    const flat = members(oracle).map((member) => ({ ...member, covariate: 0 }));
    const result = experimentUplift(flat, { holdoutShare: oracle.holdout_share, daysObserved: 30, seed: 1 });
    expect(result.cuped).toBeNull();
    expect(result.cupedNote).toMatch(/same for every member/);
  });

  it('refuses an arm with fewer than two members', () => {
    expect(() => experimentUplift([{ arm: 'holdout', convertedAfterDays: null, revenue: 0 }, { arm: 'treatment', convertedAfterDays: 1, revenue: 5 }, { arm: 'treatment', convertedAfterDays: null, revenue: 0 }], { holdoutShare: 0.1, daysObserved: 3, seed: 1 }))
      .toThrow(/holdout 1/);
  });
});
