import { describe, expect, it } from 'vitest';
import { NO_LABEL, segmentMigration } from './segment-migration.js';

const [A, B] = [0, 1];
// Four profiles × three months; C never has members.
const HISTORY = {
  labels: Int32Array.from([
    A, A, B,
    A, B, B,
    B, B, B,
    NO_LABEL, A, A,
  ]),
  periods: 3,
  segmentNames: ['A', 'B', 'C'],
  periodNames: ['2026-01', '2026-02', '2026-03'],
};

describe('segmentMigration', () => {
  it('counts moves between consecutive periods, skipping missing labels', () => {
    const result = segmentMigration(HISTORY);
    expect(result.steps.map((step) => `${step.from} → ${step.to}`)).toEqual(['2026-01 → 2026-02', '2026-02 → 2026-03']);
    const [january, february] = result.steps;
    expect([...(january?.counts ?? [])]).toEqual([1, 1, 0, 0, 1, 0, 0, 0, 0]);
    expect([...(january?.shares ?? [])]).toEqual([0.5, 0.5, 0, 0, 1, 0, 0, 0, 0]);
    expect(january?.skipped).toBe(1);
    expect([...(february?.counts ?? [])]).toEqual([1, 1, 0, 0, 2, 0, 0, 0, 0]);
    expect(february?.skipped).toBe(0);
  });

  it('gives stay rates per segment, null for a segment without members', () => {
    const result = segmentMigration(HISTORY);
    expect(result.steps[0]?.stayRate).toEqual([0.5, 1, null]);
    expect([...result.overall.counts]).toEqual([2, 2, 0, 0, 3, 0, 0, 0, 0]);
    expect(result.overall.stayRate).toEqual([0.5, 1, null]);
    expect(result.overall.skipped).toBe(1);
  });

  it('rejects labels outside the segments and a ragged history', () => {
    expect(() => segmentMigration({ labels: Int32Array.from([0, 5]), periods: 2, segmentNames: HISTORY.segmentNames })).toThrow(/label 5 outside the 3 segments/);
    expect(() => segmentMigration({ ...HISTORY, labels: Int32Array.from([0, 1, 2, 0]) })).toThrow(/whole number/);
  });
});
