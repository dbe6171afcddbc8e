import { describe, expect, it } from 'vitest';
import { kneedle } from './kneedle.js';

// The reference curves of the kneed package's own test suite (tests/test_sample.py), with its expected knees.
const x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const convexIncreasing = [1, 2, 3, 4, 5, 10, 15, 20, 40, 100];
const convexDecreasing = [...convexIncreasing].reverse();
const concaveDecreasing = convexIncreasing.map((value) => 100 - value);
const concaveIncreasing = convexDecreasing.map((value) => 100 - value);
const truncatedX = x.slice(0, -3).map((value) => value / 10);
const truncated = (values: number[]): number[] => values.slice(0, -3).map((value) => value / 10);

describe('kneedle finds the knees kneed finds', () => {
  it.each([
    ['convex', 'decreasing', convexDecreasing, 2],
    ['convex', 'increasing', convexIncreasing, 7],
    ['concave', 'decreasing', concaveDecreasing, 7],
    ['concave', 'increasing', concaveIncreasing, 2],
  ] as const)('%s %s curve', (curve, direction, y, knee) => {
    expect(kneedle(x, y, { curve, direction })?.x).toBe(knee);
  });

  it.each([
    ['convex', 'decreasing', convexDecreasing, 0.2],
    ['convex', 'increasing', convexIncreasing, 0.4],
    ['concave', 'decreasing', concaveDecreasing, 0.4],
    ['concave', 'increasing', concaveIncreasing, 0.2],
  ] as const)('truncated %s %s curve', (curve, direction, y, knee) => {
    expect(kneedle(truncatedX, truncated([...y]), { curve, direction })?.x).toBe(knee);
  });
});

describe('kneedle on inertia curves', () => {
  it('finds the elbow of a typical k-means inertia curve', () => {
    const k = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const inertia = [1000, 560, 330, 210, 165, 138, 120, 108, 100, 95];
    expect(kneedle(k, inertia)).toEqual({ index: 3, x: 4 });
  });

  it('reports no elbow on a straight line or a flat curve', () => {
    expect(kneedle([2, 3, 4, 5, 6], [50, 40, 30, 20, 10])).toBeNull();
    expect(kneedle([2, 3, 4, 5], [7, 7, 7, 7])).toBeNull();
  });
});
