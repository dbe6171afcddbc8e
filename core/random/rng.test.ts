import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from './rng.js';

function draws(seed: number, count: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => rng.uint32());
}

describe('createRng', () => {
  it('repeats its stream for a seed and changes it with the seed, high bits included', () => {
    expect(draws(42, 50)).toEqual(draws(42, 50));
    expect(draws(42, 50)).not.toEqual(draws(43, 50));
    expect(draws(2 ** 40, 50)).not.toEqual(draws(2 ** 40 + 2 ** 32, 50));
    expect(draws(-1, 50)).not.toEqual(draws(1, 50));
  });

  it('rejects seeds it cannot reproduce', () => {
    expect(() => createRng(1.5)).toThrow(RangeError);
    expect(() => createRng(Number.NaN)).toThrow(/safe integer/);
  });

  it('gives uniform numbers in range with the requested moments', () => {
    const rng = createRng(7);
    const count = 100_000;
    let sum = 0;
    let exponentialSum = 0;
    let normalSum = 0;
    let normalSquares = 0;
    let hits = 0;
    let outOfRange = 0;
    const buckets = new Array<number>(10).fill(0);
    for (let index = 0; index < count; index++) {
      const value = rng.next();
      if (!(value >= 0 && value < 1)) outOfRange++;
      sum += value;
      const bucket = rng.int(10);
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
      exponentialSum += rng.exponential(5);
      const normal = rng.normal();
      normalSum += normal;
      normalSquares += normal * normal;
      if (rng.chance(0.2)) hits++;
    }
    expect(outOfRange).toBe(0);
    expect(sum / count).toBeCloseTo(0.5, 2);
    expect(exponentialSum / count).toBeGreaterThan(4.9);
    expect(exponentialSum / count).toBeLessThan(5.1);
    expect(Math.abs(normalSum / count)).toBeLessThan(0.02);
    expect(normalSquares / count).toBeCloseTo(1, 1);
    expect(hits / count).toBeCloseTo(0.2, 2);
    for (const bucket of buckets) expect(Math.abs(bucket - count / 10)).toBeLessThan(count / 100);
  });

  it('picks every element and refuses an empty list', () => {
    const rng = createRng(3);
    const seen = new Set<string>();
    for (let index = 0; index < 200; index++) seen.add(rng.pick(['a', 'b', 'c', 'd']));
    expect([...seen].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(() => rng.pick([])).toThrow(/empty/);
  });
});

describe('deriveSeed', () => {
  it('gives distinct, stable seeds per part', () => {
    const seeds = new Set<number>();
    for (let user = 0; user < 10_000; user++) seeds.add(deriveSeed(1, user, 1));
    expect(seeds.size).toBe(10_000);
    expect(deriveSeed(1, 5, 1)).toBe(deriveSeed(1, 5, 1));
    expect(deriveSeed(1, 5, 1)).not.toBe(deriveSeed(1, 5, 2));
    expect(deriveSeed(1, 5, 1)).not.toBe(deriveSeed(2, 5, 1));
  });
});
