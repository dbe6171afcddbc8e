import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng.js';
import type { FeatureMatrix } from './feature-matrix.js';
import type { IsolationTree } from './isolation-forest-tree.js';
import { anomalyScores, averagePathLength, fitIsolationForest, flagAnomalies, scoreSamples } from './isolation-forest.js';
import { loadModelsOracle, loadRetailMatrix } from './models-oracle.test-support.js';

/** 1,000 points in a 3-D normal cloud, plus one far outlier as the last row. */
function cloudWithOutlier(seed: number): FeatureMatrix {
  const rng = createRng(seed);
  const data = new Float64Array(1001 * 3);
  for (let index = 0; index < 1000 * 3; index++) data[index] = rng.normal();
  data.set([9, -9, 9], 1000 * 3);
  return { rows: 1001, columns: 3, data };
}

/** Every leaf of a tree with its depth, found by walking from the root. */
function leafDepths(tree: IsolationTree): { node: number; depth: number }[] {
  const leaves: { node: number; depth: number }[] = [];
  const pending = [{ node: 0, depth: 0 }];
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!;
    if (tree.feature[node] === -1) leaves.push({ node, depth });
    else pending.push({ node: tree.left[node]!, depth: depth + 1 }, { node: tree.right[node]!, depth: depth + 1 });
  }
  return leaves;
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let index = 0; index < values.length; index++) total += values[index]!;
  return total;
}

describe('isolation forest', () => {
  it('normalises by c(n) = 2H(n−1) − 2(n−1)/n, with c(1) = 0 and c(2) = 1', () => {
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    // By hand: 2(ln 2 + γ) − 4/3 and 2(ln 255 + γ) − 510/256.
    expect(averagePathLength(3)).toBeCloseTo(1.2073924, 6);
    expect(averagePathLength(256)).toBeCloseTo(10.2447709, 6);
  });

  it('grows each tree on ψ = 256 sampled rows, at most ⌈log₂ 256⌉ = 8 deep', () => {
    const model = fitIsolationForest(cloudWithOutlier(1), { seed: 3 });
    expect(model.trees).toHaveLength(100);
    expect(model.sampleSize).toBe(256);
    for (const tree of model.trees) {
      expect(tree.size[0]).toBe(256);
      const leaves = leafDepths(tree);
      expect(sum(leaves.map(({ node }) => tree.size[node]!))).toBe(256);
      expect(Math.max(...leaves.map(({ depth }) => depth))).toBeLessThanOrEqual(8);
      for (const { node, depth } of leaves) expect(tree.pathLength[node]).toBeCloseTo(depth + averagePathLength(tree.size[node]!), 12);
    }
  });

  it('caps ψ at n and depth at ⌈log₂ n⌉ for small data', () => {
    const small: FeatureMatrix = { rows: 100, columns: 1, data: Float64Array.from({ length: 100 }, (_, index) => index) };
    const model = fitIsolationForest(small, { trees: 10, seed: 1 });
    expect(model.sampleSize).toBe(100);
    for (const tree of model.trees) expect(Math.max(...leafDepths(tree).map(({ depth }) => depth))).toBeLessThanOrEqual(7);
  });

  it('scores the outlier lowest and flags it, and about as much of the cloud as sklearn does', () => {
    const matrix = cloudWithOutlier(2);
    const model = fitIsolationForest(matrix, { seed: 7 });
    const scores = scoreSamples(model, matrix);
    const lowest = scores.indexOf(Math.min(...scores));
    expect(lowest).toBe(1000);
    expect(scores[1000]).toBeLessThan(-0.7);
    const flags = flagAnomalies(model, matrix);
    expect(flags[1000]).toBe(1);
    // sklearn's 'auto' threshold flags the tails of a normal cloud too: 170–190 of these 1,001 rows for seeds 0–4.
    expect(sum(flags)).toBeGreaterThan(140);
    expect(sum(flags)).toBeLessThan(220);
    expect(anomalyScores(model, matrix)[1000]).toBeCloseTo(-scores[1000]!, 15);
  });

  it('is repeatable for a seed and differs across seeds', () => {
    const matrix = cloudWithOutlier(4);
    const first = scoreSamples(fitIsolationForest(matrix, { seed: 11 }), matrix);
    expect(scoreSamples(fitIsolationForest(matrix, { seed: 11 }), matrix)).toEqual(first);
    expect(scoreSamples(fitIsolationForest(matrix, { seed: 12 }), matrix)).not.toEqual(first);
  });

  it('with a numeric contamination flags that share of the training rows', () => {
    const matrix = cloudWithOutlier(5);
    const model = fitIsolationForest(matrix, { contamination: 0.05, seed: 1 });
    // offset = 5th percentile (linear interpolation): rows strictly below it ≈ 5% of 1001.
    expect(sum(flagAnomalies(model, matrix))).toBe(50);
    expect(() => fitIsolationForest(matrix, { contamination: 0.7 })).toThrow(/contamination must be 'auto' or in \(0, 0.5\]/);
    expect(() => fitIsolationForest({ rows: 2, columns: 1, data: Float64Array.from([1, Number.NaN]) })).toThrow(/row 1, column 0 is NaN/);
  });

  describe('on Online Retail customers against scikit-learn (random trees: compare over seeds)', () => {
    const matrix = loadRetailMatrix();
    const oracle = loadModelsOracle().isolation_forest;
    const seeds = 20;
    const flagged: number[] = [];
    const meanScores: number[] = [];
    for (let seed = 0; seed < seeds; seed++) {
      const model = fitIsolationForest(matrix, { seed });
      const scores = scoreSamples(model, matrix);
      flagged.push(sum(flagAnomalies(model, matrix)));
      meanScores.push(sum(scores) / scores.length);
    }

    it('flags within 5% of sklearn\'s count (means over seeds; one seed moves it ~6%)', () => {
      const ourMean = sum(flagged) / seeds;
      expect(Math.abs(ourMean - oracle.over_seeds.flagged_mean) / oracle.over_seeds.flagged_mean).toBeLessThan(0.05);
    });

    it('has seed 0\'s count inside the range sklearn\'s own seeds give', () => {
      expect(flagged[0]).toBeGreaterThanOrEqual(oracle.over_seeds.flagged_min);
      expect(flagged[0]).toBeLessThanOrEqual(oracle.over_seeds.flagged_max);
    });

    it('gives score_samples on sklearn\'s scale (mean over seeds within 0.005)', () => {
      expect(oracle.offset).toBe(-0.5);
      expect(oracle.max_samples).toBe(256);
      expect(Math.abs(sum(meanScores) / seeds - oracle.over_seeds.mean_score)).toBeLessThan(0.005);
    });
  });
});
