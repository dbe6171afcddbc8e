import { describe, expect, it } from 'vitest';
import { calinskiHarabasz, daviesBouldin, encodeLabels } from './cluster-indices.js';
import { kmeansOracle, matrixFromRows, onlineRetailMatrix } from './kmeans-online-retail.test-support.js';

const oracle = kmeansOracle();
const retail = onlineRetailMatrix();

function relativeError(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs(actual / expected - 1);
}

describe('Calinski–Harabasz and Davies–Bouldin, against scikit-learn on the same labels', () => {
  it('match on Online Retail (sklearn\'s k = 4 labels) to 1e-9 relative', () => {
    expect(relativeError(calinskiHarabasz(retail, oracle.k4.labels), oracle.k4.calinski_harabasz)).toBeLessThan(1e-9);
    expect(relativeError(daviesBouldin(retail, oracle.k4.labels), oracle.k4.davies_bouldin)).toBeLessThan(1e-9);
  });

  it.each(oracle.small_cases.map((testCase) => [testCase.name, testCase] as const))('match on the edge case: %s', (_name, testCase) => {
    const matrix = matrixFromRows(testCase.x);
    expect(relativeError(calinskiHarabasz(matrix, testCase.labels), testCase.calinski_harabasz)).toBeLessThan(1e-12);
    expect(relativeError(daviesBouldin(matrix, testCase.labels), testCase.davies_bouldin)).toBeLessThan(1e-12);
  });

  it('refuse a single cluster', () => {
    expect(() => calinskiHarabasz(matrixFromRows([[0], [1], [2]]), [4, 4, 4])).toThrow(RangeError);
    expect(() => daviesBouldin(matrixFromRows([[0], [1], [2]]), [4, 4, 4])).toThrow(RangeError);
  });
});

describe('encodeLabels', () => {
  it('numbers clusters 0..K-1 in ascending order of the original labels', () => {
    const encoded = encodeLabels([9, 3, 3, 7]);
    expect(Array.from(encoded.codes)).toEqual([2, 0, 0, 1]);
    expect(Array.from(encoded.sizes)).toEqual([2, 1, 1]);
  });
});
