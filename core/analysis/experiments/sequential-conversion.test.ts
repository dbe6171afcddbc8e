import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../../random/rng.js';
import { dailyConversionLooks, proportionUplift, sequentialConversion, type ConversionLook } from './index.js';

const ALPHA = 0.05;

/** A fixed segment of members, a share held out, each converting (or not) on a uniform day of the window. */
function experiment(seed: number, options: { members: number; holdoutShare: number; rate: number; lift: number; days: number }): ConversionLook[] {
  const rng = createRng(seed);
  const members = Array.from({ length: options.members }, () => {
    const arm = rng.chance(options.holdoutShare) ? 'holdout' as const : 'treatment' as const;
    const converts = rng.chance(options.rate + (arm === 'treatment' ? options.lift : 0));
    return { arm, convertedAfterDays: converts ? rng.next() * options.days : null };
  });
  return dailyConversionLooks(members, options.days);
}
const msprt = (looks: ConversionLook[]) => sequentialConversion(looks, { mixtureVariance: 0.02 ** 2, alpha: ALPHA });

describe('mSPRT over daily looks at a 10% holdout', () => {
  it('under H0, ever reaches p ≤ 0.05 over 30 daily looks in at most ~5% of 400 experiments (a z test read daily: far more)', () => {
    let everSignificant = 0;
    let peekedZ = 0;
    for (let run = 0; run < 400; run++) {
      const looks = experiment(deriveSeed(91, run), { members: 3000, holdoutShare: 0.1, rate: 0.1, lift: 0, days: 30 });
      if (msprt(looks).pValue <= ALPHA) everSignificant++;
      if (looks.some((look) => look.treatment.conversions + look.control.conversions > 0 && proportionUplift(look.treatment, look.control).p <= ALPHA)) peekedZ++;
    }
    // Ville's bound is 0.05; 0.025 covers the binomial noise of 400 runs (sd ≈ 0.011).
    expect(everSignificant / 400).toBeLessThanOrEqual(ALPHA + 0.025);
    // What the always-valid p-value is for: the fixed-horizon test, peeked at daily, "finds" a lift in over 15% of null runs.
    expect(peekedZ / 400).toBeGreaterThan(0.15);
  });

  it('detects a lift from 10% to 16%, and says at which look', () => {
    const result = msprt(experiment(3, { members: 8000, holdoutShare: 0.1, rate: 0.1, lift: 0.06, days: 30 }));
    expect(result.pValue).toBeLessThan(ALPHA);
    expect(result.firstSignificantLook).toBeGreaterThan(0);
    expect(result.firstSignificantLook).toBeLessThanOrEqual(30);
  });

  it('counts conversions cumulatively by day and keeps the arms fixed', () => {
    const looks = dailyConversionLooks([
      { arm: 'treatment', convertedAfterDays: 0.5 }, { arm: 'treatment', convertedAfterDays: 2.1 }, { arm: 'treatment', convertedAfterDays: null },
      { arm: 'holdout', convertedAfterDays: 1 }, { arm: 'holdout', convertedAfterDays: null },
    ], 3);
    expect(looks).toEqual([
      { treatment: { conversions: 1, n: 3 }, control: { conversions: 0, n: 2 } },
      { treatment: { conversions: 1, n: 3 }, control: { conversions: 1, n: 2 } },
      { treatment: { conversions: 2, n: 3 }, control: { conversions: 1, n: 2 } },
    ]);
  });
});
