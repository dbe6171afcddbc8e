import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { loadModelsOracle, loadRetailMatrix } from './models-oracle.test-support.js';
import { covarianceOnePass, fitPca, projectOnComponent } from './pca.js';

function twoPassCovariance(matrix: FeatureMatrix): number[] {
  const { rows, columns, data } = matrix;
  const mean = new Array<number>(columns).fill(0);
  for (let row = 0; row < rows; row++) for (let c = 0; c < columns; c++) mean[c]! += data[row * columns + c]! / rows;
  const out = new Array<number>(columns * columns).fill(0);
  for (let row = 0; row < rows; row++) {
    for (let a = 0; a < columns; a++) {
      for (let b = 0; b < columns; b++) out[a * columns + b]! += ((data[row * columns + a]! - mean[a]!) * (data[row * columns + b]! - mean[b]!)) / (rows - 1);
    }
  }
  return out;
}

describe('PCA', () => {
  it('builds the covariance in one pass without losing digits to a large offset', () => {
    // Timestamps-like columns: values near 1.7e9 with a spread of a few units. The textbook
    // Σxy/n − x̄·ȳ loses every significant digit here (x̄² ≈ 3e18, beyond 2^53).
    const rng = createRng(9);
    const rows = 5000;
    const data = new Float64Array(rows * 2);
    for (let row = 0; row < rows; row++) {
      const shared = rng.normal();
      data[row * 2] = 1.7e9 + shared + 0.5 * rng.normal();
      data[row * 2 + 1] = 1.7e9 - 2 * shared + rng.normal();
    }
    const matrix = { rows, columns: 2, data };
    // Reference: subtracting 1.7e9 is exact here (Sterbenz), and two passes on the small
    // remainders are accurate to ~1e-15.
    const expected = twoPassCovariance({ rows, columns: 2, data: data.map((value) => value - 1.7e9) });
    const ours = covarianceOnePass(matrix).matrix;
    expected.forEach((value, index) => expect(Math.abs(ours[index]! / value - 1)).toBeLessThan(1e-6));
    // What the sums-of-products shortcut would have printed: off by far more than 1%.
    let sumX = 0;
    let sumXX = 0;
    for (let row = 0; row < rows; row++) {
      sumX += data[row * 2]!;
      sumXX += data[row * 2]! * data[row * 2]!;
    }
    const naive = (sumXX - (sumX * sumX) / rows) / (rows - 1);
    expect(Math.abs(naive / expected[0]! - 1)).toBeGreaterThan(0.01);
  });

  it('says which cell is missing instead of returning NaN loadings', () => {
    expect(() => covarianceOnePass({ rows: 2, columns: 2, data: Float64Array.from([1, 2, Number.NaN, 4]) })).toThrow(/row 1, column 0 is NaN/);
  });

  describe('on Online Retail customers against scikit-learn', () => {
    const model = fitPca(loadRetailMatrix());
    const oracle = loadModelsOracle().pca;

    it('explains the same share of variance per component (to 1e-4)', () => {
      model.explainedVarianceRatio.forEach((ratio, index) => expect(Math.abs(ratio - oracle.explained_variance_ratio[index]!)).toBeLessThan(1e-4));
      model.explainedVariance.forEach((variance, index) => expect(Math.abs(variance - oracle.explained_variance[index]!)).toBeLessThan(1e-4));
    });

    it('finds the same components up to sign', () => {
      oracle.components.forEach((expected, index) => {
        const dot = expected.reduce((total, value, column) => total + value * model.components[index]![column]!, 0);
        expect(Math.abs(dot)).toBeCloseTo(1, 8);
      });
    });

    it('projects so that PC1 scores have PC1\'s variance', () => {
      const scores = projectOnComponent(model, loadRetailMatrix(), 0);
      const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
      const variance = scores.reduce((total, score) => total + (score - mean) ** 2, 0) / (scores.length - 1);
      expect(mean).toBeCloseTo(0, 10);
      expect(variance).toBeCloseTo(oracle.explained_variance[0]!, 8);
    });
  });
});
