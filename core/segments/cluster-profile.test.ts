import { describe, expect, it } from 'vitest';
import { ANOMALOUS_LABEL, NOISE_LABEL, profileClusters } from './cluster-profile.js';

function matrixOf(rows: number[][]) {
  return { rows: rows.length, columns: rows[0]!.length, data: Float64Array.from(rows.flat()) };
}

describe('profileClusters', () => {
  // frequency: population mean 4, deviations 6, 4, 2, −3, −3, −6 → std √(110/6).
  const matrix = matrixOf([
    [10, 5],
    [8, 10],
    [6, 15],
    [1, 60],
    [1, 70],
    [-2, 20],
  ]);
  const columnNames = ['frequency', 'recency_days'];

  it('reports each cluster’s means, z-scores against the population, size and share', () => {
    const profiles = profileClusters({ matrix, columnNames, labels: Int32Array.from([0, 0, 0, 1, 1, -1]) });
    expect(profiles.population[0]).toMatchObject({ feature: 'frequency', mean: 4, present: 6, zScale: 'raw' });
    expect(profiles.population[0]!.std).toBeCloseTo(Math.sqrt(110 / 6), 12);
    const [heavy, lapsed, noise] = profiles.clusters;
    expect(heavy).toMatchObject({ label: 0, kind: 'cluster', size: 3, share: 0.5 });
    expect(heavy!.features[0]!.mean).toBe(8);
    expect(heavy!.features[0]!.z).toBeCloseTo(4 / Math.sqrt(110 / 6), 12);
    expect(lapsed!.features[1]!.mean).toBe(65);
    expect(lapsed!.features[1]!.z).toBeGreaterThan(1);
    expect(noise).toMatchObject({ label: NOISE_LABEL, kind: 'noise', size: 1 });
  });

  it('ranks the distinguishing features by |z|', () => {
    const profiles = profileClusters({ matrix, columnNames, labels: Int32Array.from([0, 0, 0, 1, 1, -1]), topFeatures: 1 });
    expect(profiles.clusters[1]!.distinguishing.map((deviation) => deviation.feature)).toEqual(['recency_days']);
    expect(profiles.clusters[0]!.distinguishing.map((deviation) => deviation.feature)).toEqual(['frequency']);
  });

  it('moves flagged rows into one anomalous group, so every row is in exactly one group', () => {
    const profiles = profileClusters({
      matrix,
      columnNames,
      labels: Int32Array.from([0, 0, 0, 1, 1, -1]),
      anomalous: Uint8Array.from([1, 0, 0, 0, 0, 1]),
    });
    const sizes = Object.fromEntries(profiles.clusters.map((cluster) => [cluster.label, cluster.size]));
    expect(sizes).toEqual({ 0: 2, 1: 2, [ANOMALOUS_LABEL]: 2 });
    expect(profiles.clusters.find((cluster) => cluster.kind === 'anomalous')!.features[0]!.mean).toBe(4);
  });

  it('ignores missing values, gives a constant feature z 0 and leaves empty labels out', () => {
    const profiles = profileClusters({
      matrix: matrixOf([
        [1, Number.NaN, 7],
        [3, 2, 7],
        [5, 4, 7],
      ]),
      columnNames: ['frequency', 'monetary', 'constant'],
      labels: Int32Array.from([0, 2, 2]),
    });
    expect(profiles.clusters.map((cluster) => cluster.label)).toEqual([0, 2]);
    const [first, second] = profiles.clusters;
    expect(first!.features[1]!.mean).toBeNaN();
    expect(first!.distinguishing.map((deviation) => deviation.feature)).not.toContain('monetary');
    expect(second!.features[1]!.mean).toBe(3);
    expect(second!.features[2]!.z).toBe(0);
  });

  it('computes z on log1p for skewed columns while keeping means in money', () => {
    // One whale: on the raw scale the ordinary buyers are all "about average".
    const spend = [10, 20, 15, 25, 12, 100_000];
    const input = {
      matrix: matrixOf(spend.map((value) => [value])),
      columnNames: ['monetary'],
      labels: Int32Array.from([0, 0, 1, 1, 1, 2]),
    };
    const raw = profileClusters(input);
    const logged = profileClusters({ ...input, log1pColumns: ['monetary'] });
    expect(Math.abs(raw.clusters[0]!.features[0]!.z)).toBeLessThan(0.5);
    expect(logged.clusters[0]!.features[0]!.z).toBeLessThan(-0.4);
    expect(logged.clusters[0]!.features[0]!.mean).toBe(15);
    expect(logged.population[0]).toMatchObject({ zScale: 'log1p' });
    expect(logged.population[0]!.mean).toBeCloseTo(100_082 / 6, 9);
  });

  it('rejects inputs whose shapes disagree, naming what is wrong', () => {
    expect(() => profileClusters({ matrix, columnNames: ['frequency'], labels: new Int32Array(6) })).toThrow(/1 column names for a matrix of 2 columns/);
    expect(() => profileClusters({ matrix, columnNames, labels: new Int32Array(5) })).toThrow(/5 labels for 6 rows/);
    expect(() => profileClusters({ matrix, columnNames, labels: new Int32Array(6), log1pColumns: ['aov'] })).toThrow(/"aov", which is not a column/);
    expect(() => profileClusters({ matrix, columnNames, labels: new Int32Array(6), log1pColumns: ['frequency'] })).toThrow(/Row 5, column "frequency"/);
  });
});
