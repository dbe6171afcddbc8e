import { describe, expect, it } from 'vitest';
import { embedSample } from './embedding.js';

describe('embedSample', () => {
  it('separates two segments along the first axis and rings the one far-off profile', () => {
    const values: number[][] = [];
    const labels: number[] = [];
    for (let index = 0; index < 100; index++) {
      const side = index < 50 ? -1 : 1;
      values.push([side + (index % 5) * 0.01, side * 0.5 + (index % 3) * 0.01, (index % 7) * 0.01]);
      labels.push(index < 50 ? 0 : 1);
    }
    values[10] = [-1, 0.5, 6];
    const embedding = embedSample({ segmentation: 'behavior', population: 1_000_000, segments: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }], labels, values });
    expect(embedding?.sampled).toBe(100);
    expect(embedding?.population).toBe(1_000_000);
    const outliers = (embedding?.points ?? []).flatMap((point, index) => (point[3] === 1 ? [index] : []));
    expect(outliers).toEqual([10]);
    const meanX = (label: number) => {
      const xs = (embedding?.points ?? []).filter((point, index) => point[2] === label && index !== 10).map((point) => point[0]);
      return xs.reduce((sum, x) => sum + x, 0) / xs.length;
    };
    expect(Math.abs(meanX(0) - meanX(1))).toBeGreaterThan(1);
  });

  it('draws nothing from fewer than three profiles', () => {
    expect(embedSample({ segmentation: 's', population: 2, segments: [], labels: [0, 0], values: [[1, 2], [3, 4]] })).toBeUndefined();
  });
});
