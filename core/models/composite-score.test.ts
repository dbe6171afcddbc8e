import { describe, expect, it } from 'vitest';
import { checkEngagementWeights, ScoreConfigError, weightedEngagementScore } from './composite-score.js';
import type { FeatureMatrix } from './feature-matrix.js';

const names = ['recency_days', 'frequency', 'monetary'];
// Two customers' z-scores.
const scaled: FeatureMatrix = { rows: 2, columns: 3, data: Float64Array.from([-1, 2, 1.5, 0.5, -0.5, 0]) };

describe('weighted engagement score', () => {
  it('adds weight × z-score over the named features', () => {
    const scores = weightedEngagementScore(scaled, names, { frequency: 0.5, monetary: 0.3, recency_days: -0.2 });
    // Row 0: 0.5·2 + 0.3·1.5 − 0.2·(−1) = 1.65; row 1: 0.5·(−0.5) + 0 − 0.2·0.5 = −0.35.
    expect(scores[0]).toBeCloseTo(1.65, 12);
    expect(scores[1]).toBeCloseTo(-0.35, 12);
  });

  it('ignores features without a weight', () => {
    expect(Array.from(weightedEngagementScore(scaled, names, { frequency: 1 }))).toEqual([2, -0.5]);
  });

  it('reports every bad weight at once, each under its feature name', () => {
    const problems = checkEngagementWeights({ frequncy: 1, monetary: Number.NaN }, names);
    expect(problems).toEqual([
      { feature: 'frequncy', message: 'is not a model feature (available: recency_days, frequency, monetary)' },
      { feature: 'monetary', message: 'weight must be a finite number, got NaN' },
    ]);
    let error: unknown;
    try {
      weightedEngagementScore(scaled, names, { frequncy: 1, monetary: Number.NaN });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScoreConfigError);
    expect((error as ScoreConfigError).message).toMatch(/frequncy: is not a model feature[\s\S]*monetary: weight must be a finite number/);
  });

  it('rejects an empty or all-zero weight set', () => {
    expect(checkEngagementWeights({}, names)[0]?.message).toMatch(/no feature has a weight/);
    expect(checkEngagementWeights({ frequency: 0, monetary: 0 }, names)[0]?.message).toMatch(/every weight is 0/);
  });
});
