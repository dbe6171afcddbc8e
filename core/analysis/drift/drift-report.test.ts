import { describe, expect, it } from 'vitest';
import { createRng } from '../../random/rng.js';
import { driftReport, type FeatureMatrix } from './drift-report.js';

const COLUMNS = ['recency', 'frequency', 'monetary'];

/** Customers with independent N(0, 1) features; `shift` moves one column by that many σ. */
function customers(seed: number, count: number, shift: { column: number; by: number } | undefined): FeatureMatrix {
  const rng = createRng(seed);
  const rows = Array.from({ length: count }, () =>
    COLUMNS.map((_, column) => rng.normal() + (shift?.column === column ? shift.by : 0)),
  );
  return { columns: COLUMNS, rows };
}

describe('driftReport', () => {
  const baseline = customers(1, 5000, undefined);

  it('flags a feature shifted by 0.5σ and recommends re-clustering', () => {
    const report = driftReport(baseline, customers(2, 5000, { column: 1, by: 0.5 }));
    const frequency = report.features.find((feature) => feature.feature === 'frequency');
    expect(frequency?.flags).toContain('ks');
    expect(frequency?.psi).toBeGreaterThan(0.1);
    expect(frequency?.meanShift).toBeGreaterThan(0.45);
    expect(frequency?.meanShift).toBeLessThan(0.55);
    expect(report.recluster).toBe(true);
    expect(report.reasons.join('\n')).toMatch(/1 of 3 features have PSI > 0.1 \("frequency"\)/);
    const others = report.features.filter((feature) => feature.feature !== 'frequency');
    expect(others.every((feature) => feature.psi < 0.1)).toBe(true);
  });

  it('leaves an unshifted resample alone', () => {
    const report = driftReport(baseline, customers(3, 5000, undefined));
    expect(report.recluster).toBe(false);
    expect(report.reasons).toEqual([]);
    for (const feature of report.features) {
      expect(feature.psi).toBeLessThan(0.02);
      expect(Math.abs(feature.meanShift)).toBeLessThan(0.1);
    }
  });

  it('re-clusters on one significant PSI even when the share rule is off', () => {
    const report = driftReport(baseline, customers(4, 2000, { column: 0, by: 1.5 }), { moderateShare: 1 });
    expect(report.recluster).toBe(true);
    expect(report.reasons).toEqual([expect.stringMatching(/^feature "recency": PSI \d\.\d{3} > 0\.25$/)]);
  });

  it('compares only shared columns and lists the rest', () => {
    const current: FeatureMatrix = { columns: ['recency', 'tenure'], rows: [[0.1, 3], [0.2, 4], [Number.NaN, 5]] };
    const report = driftReport(baseline, current);
    expect(report.features.map((feature) => feature.feature)).toEqual(['recency']);
    expect(report.features[0]?.missing).toBe(1);
    expect(report.missingColumns).toEqual({ fromCurrent: ['frequency', 'monetary'], fromBaseline: ['tenure'] });
  });

  it('says which row is malformed', () => {
    expect(() => driftReport(baseline, { columns: COLUMNS, rows: [[1, 2]] })).toThrow(/row 0 has 2 values for 3 columns/);
  });
});
