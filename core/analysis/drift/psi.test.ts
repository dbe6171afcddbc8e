import { describe, expect, it } from 'vitest';
import { loadDriftFixture, maxRelativeError, relativeError } from './oracle-fixtures.test-support.js';
import { populationStabilityIndex, psiLevel } from './psi.js';

interface PsiCase {
  name: string;
  baseline: number[];
  current: number[];
  bins: number;
  floor: number;
  psi: number;
  edges: number[];
  expected: number[];
  actual: number[];
}

describe('populationStabilityIndex against the numpy oracle', () => {
  it.each(loadDriftFixture<PsiCase>('psi').map((c) => [c.name, c]))('%s', (_, c) => {
    const result = populationStabilityIndex(c.baseline, c.current, { bins: c.bins, floor: c.floor });
    expect(result.edges).toEqual(c.edges); // bit-identical quantile edges
    expect(result.binCount).toBe(c.edges.length + 1);
    expect(maxRelativeError(result.expected, c.expected)).toBeLessThan(1e-12);
    expect(maxRelativeError(result.actual, c.actual)).toBeLessThan(1e-12);
    expect(relativeError(result.psi, c.psi)).toBeLessThan(1e-12);
  });
});

describe('populationStabilityIndex', () => {
  it('merges duplicate edges of a tied baseline and reports the bins used', () => {
    const baseline = [0, 0, 0, 0, 0, 0, 1, 1, 2, 3];
    const result = populationStabilityIndex(baseline, baseline, { bins: 10 });
    expect(result.binCount).toBeLessThan(10);
    expect(new Set(result.edges).size).toBe(result.edges.length);
    expect(result.psi).toBe(0);
  });

  it('puts a value equal to an edge in the bin above (right-closed search)', () => {
    const result = populationStabilityIndex([1, 2, 3, 4], [2.5], { bins: 2 });
    expect(result.edges).toEqual([2.5]);
    expect(result.actual).toEqual([0, 1]);
  });

  it('floors empty bins so the index stays finite, and says which', () => {
    const result = populationStabilityIndex([1, 2, 3, 4], [10, 11], { bins: 2, floor: 1e-4 });
    expect(Number.isFinite(result.psi)).toBe(true);
    expect(result.flooredBins).toEqual([0]);
    expect(result.level).toBe('significant');
  });

  it('labels 0.1 and 0.25 thresholds', () => {
    expect([psiLevel(0.05), psiLevel(0.1), psiLevel(0.2), psiLevel(0.25), psiLevel(0.3)]).toEqual([
      'stable', 'stable', 'moderate', 'moderate', 'significant',
    ]);
  });
});
