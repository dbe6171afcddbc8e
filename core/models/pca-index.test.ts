import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from './feature-matrix.js';
import { RFM_FEATURES, loadRetailMatrix } from './models-oracle.test-support.js';
import { pcaEngagementIndex } from './pca-index.js';

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let meanA = 0;
  let meanB = 0;
  for (let i = 0; i < n; i++) {
    meanA += a[i]! / n;
    meanB += b[i]! / n;
  }
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i]! - meanA) * (b[i]! - meanB);
    aa += (a[i]! - meanA) ** 2;
    bb += (b[i]! - meanB) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

function column(matrix: FeatureMatrix, index: number): Float64Array {
  return Float64Array.from({ length: matrix.rows }, (_, row) => matrix.data[row * matrix.columns + index]!);
}

describe('PCA engagement index', () => {
  it('fixes the sign by the named direction on a hand-made example', () => {
    // visits and spend rise together, days_since_last falls: PC1 ≈ (1, 1, −1)/√3 or its negative.
    const matrix: FeatureMatrix = { rows: 4, columns: 3, data: Float64Array.from([1, 1, 4, 2, 2, 3, 3, 3, 2, 4, 4, 1]) };
    const names = ['visits', 'spend', 'days_since_last'];
    const up = pcaEngagementIndex(matrix, names, { higher: ['visits'], lower: [] });
    expect(up.loadings.visits).toBeGreaterThan(0);
    expect(up.loadings.days_since_last).toBeLessThan(0);
    expect(Array.from(up.scores).map((score) => Math.sign(score))).toEqual([-1, -1, 1, 1]); // row 3 is the most engaged
    expect(up.explainedVarianceRatio).toBeCloseTo(1, 12);
    // Naming only "lower days" must give the same orientation; naming visits as lower flips it.
    expect(pcaEngagementIndex(matrix, names, { higher: [], lower: ['days_since_last'] }).loadings.visits).toBeGreaterThan(0);
    expect(pcaEngagementIndex(matrix, names, { higher: [], lower: ['visits'] }).loadings.visits).toBeLessThan(0);
  });

  it('on Online Retail: higher = more frequent, bigger spending, more recent', () => {
    const matrix = loadRetailMatrix();
    const index = pcaEngagementIndex(matrix, RFM_FEATURES, { higher: ['frequency', 'monetary'], lower: ['recency_days'] });
    expect(correlation(index.scores, column(matrix, 1))).toBeGreaterThan(0.5);
    expect(correlation(index.scores, column(matrix, 2))).toBeGreaterThan(0.5);
    expect(correlation(index.scores, column(matrix, 0))).toBeLessThan(-0.5);
    expect(index.explainedVarianceRatio).toBeCloseTo(0.7519, 4);
  });

  it('names every feature it cannot use', () => {
    const matrix: FeatureMatrix = { rows: 2, columns: 2, data: Float64Array.from([0, 1, 1, 0]) };
    const call = (): unknown => pcaEngagementIndex(matrix, ['visits', 'spend'], { higher: ['visits', 'revenue'], lower: ['visits'] });
    expect(call).toThrow(/revenue: is not a model feature \(available: visits, spend\)/);
    expect(call).toThrow(/visits: is listed under both higher and lower/);
    expect(() => pcaEngagementIndex(matrix, ['visits', 'spend'], { higher: [], lower: [] })).toThrow(/name at least one feature/);
  });

  it('refuses to guess when PC1 is orthogonal to the direction', () => {
    // PC1 lies along x; y is independent of it (and has less variance).
    const matrix: FeatureMatrix = { rows: 4, columns: 2, data: Float64Array.from([-2, -1, -2, 1, 2, -1, 2, 1]) };
    expect(() => pcaEngagementIndex(matrix, ['x', 'y'], { higher: ['y'], lower: [] })).toThrow(/uncorrelated with these features/);
  });
});
