import { describe, expect, it } from 'vitest';
import { kolmogorovSurvival } from './kolmogorov-distribution.js';
import { ksTwoSample, type KsMethod } from './ks-two-sample.js';
import { loadDriftFixture, relativeError } from './oracle-fixtures.test-support.js';

interface KsCase {
  name: string;
  method: KsMethod;
  first: number[];
  second: number[];
  statistic: number;
  pvalue: number;
  location: number;
  sign: 1 | -1;
}

interface KolmogorovCase {
  n: number;
  x: number;
  sf: number;
}

describe('ksTwoSample against scipy.stats.ks_2samp', () => {
  it.each(loadDriftFixture<KsCase>('ks').map((c) => [`${c.name} (${c.method})`, c]))('%s', (_, c) => {
    const result = ksTwoSample(c.first, c.second, c.method);
    expect(result.statistic).toBe(c.statistic);
    expect(relativeError(result.pValue, c.pvalue)).toBeLessThan(1e-9);
    expect(result.location).toBe(c.location);
    expect(result.sign).toBe(c.sign);
  });
});

describe('kolmogorovSurvival against scipy.stats.kstwo.sf', () => {
  it.each(loadDriftFixture<KolmogorovCase>('kstwo').map((c) => [c.n, c.x, c]))('n = %s, x = %s', (_n, _x, c) => {
    expect(relativeError(kolmogorovSurvival(c.n, c.x), c.sf)).toBeLessThan(1e-9);
  });
});

describe('ksTwoSample', () => {
  it('steps over ties across the samples together', () => {
    // F1 − F2 at 1 is 2/3 − 1/3, never 1 − 0 as a one-by-one sweep would say.
    expect(ksTwoSample([1, 1, 2], [1, 2, 2]).statistic).toBeCloseTo(1 / 3, 15);
  });

  it('uses the exact method for small samples and asymp above 10 000', () => {
    expect(ksTwoSample([1, 2, 3], [4, 5, 6]).method).toBe('exact');
    const large = Array.from({ length: 10_001 }, (_, index) => index);
    expect(ksTwoSample(large, [1, 2, 3]).method).toBe('asymp');
  });

  it('rejects empty samples', () => {
    expect(() => ksTwoSample([], [1])).toThrow(/non-empty/);
  });
});
