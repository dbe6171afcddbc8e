import { describe, expect, it } from 'vitest';
import type { StateSequences } from './sequences.js';
import { topPaths } from './top-paths.js';

const [VIEW, CART, PURCHASE] = [0, 1, 2];
const JOURNEYS = [
  [VIEW, VIEW, CART],
  [VIEW, CART],
  [CART],
  [VIEW],
  [VIEW, CART, PURCHASE, VIEW, CART, PURCHASE],
  [],
];

function build(journeys: number[][]): StateSequences {
  const offsets = [0];
  for (const journey of journeys) offsets.push((offsets.at(-1) as number) + journey.length);
  return { states: Int32Array.from(journeys.flat()), offsets: Int32Array.from(offsets), stateNames: ['view', 'cart', 'purchase'] };
}

describe('topPaths', () => {
  it('ranks collapsed, truncated complete paths with shares of non-empty journeys', () => {
    const result = topPaths(build(JOURNEYS), { maxLength: 3 });
    expect(result.sequences).toBe(5);
    expect(result.distinctPaths).toBe(4);
    expect(result.paths.map(({ label, count, share }) => ({ label, count, share }))).toEqual([
      { label: 'start → view → cart → exit', count: 2, share: 0.4 },
      // Ties: shorter first, then by state order (view before cart).
      { label: 'start → view → exit', count: 1, share: 0.2 },
      { label: 'start → cart → exit', count: 1, share: 0.2 },
      { label: 'start → view → cart → purchase → … → exit', count: 1, share: 0.2 },
    ]);
  });

  it('gives the same ranking whatever order the journeys come in', () => {
    const forward = topPaths(build(JOURNEYS), { maxLength: 3 });
    const backward = topPaths(build([...JOURNEYS].reverse()), { maxLength: 3 });
    expect(backward).toEqual(forward);
  });

  it('returns at most `limit` paths', () => {
    const result = topPaths(build(JOURNEYS), { limit: 1 });
    expect(result.paths.map((path) => path.path)).toEqual([['start', 'view', 'cart', 'exit']]);
    expect(result.distinctPaths).toBe(4);
  });
});
