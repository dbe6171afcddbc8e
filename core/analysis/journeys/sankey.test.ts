import { describe, expect, it } from 'vitest';
import { sankey } from './sankey.js';
import type { StateSequences } from './sequences.js';

const [VIEW, CART] = [0, 1];

function build(journeys: number[][]): StateSequences {
  const offsets = [0];
  for (const journey of journeys) offsets.push((offsets.at(-1) as number) + journey.length);
  return { states: Int32Array.from(journeys.flat()), offsets: Int32Array.from(offsets), stateNames: ['view', 'cart'] };
}

const JOURNEYS = build([[VIEW, CART], [VIEW, VIEW, CART], [VIEW], [CART, VIEW, CART]]);

describe('sankey', () => {
  it('builds step-indexed nodes and links, with exits and a depth cut', () => {
    const result = sankey(JOURNEYS, { maxDepth: 2 });
    expect(result.nodes.map((node) => node.id)).toEqual(['0:view', '0:cart', '1:view', '1:cart', '1:exit', '2:exit']);
    expect(result.nodes[4]).toEqual({ id: '1:exit', name: 'exit', step: 1 });
    expect(result.links).toEqual([
      { source: 0, target: 3, value: 2 }, // view → cart (view, view merged)
      { source: 0, target: 4, value: 1 }, // view → exit
      { source: 1, target: 2, value: 1 }, // cart → view; its next step is past the cut
      { source: 3, target: 5, value: 2 }, // cart → exit
    ]);
  });

  it('spends a step on a repeat when not collapsing, and can leave exits out', () => {
    const result = sankey(JOURNEYS, { maxDepth: 2, collapseRepeats: false, includeExit: false });
    expect(result.nodes.map((node) => node.id)).toEqual(['0:view', '0:cart', '1:view', '1:cart']);
    expect(result.links).toEqual([
      { source: 0, target: 2, value: 1 },
      { source: 0, target: 3, value: 1 },
      { source: 1, target: 2, value: 1 },
    ]);
  });

  it('keeps flow: what enters a node leaves it, unless the depth cut stops it', () => {
    const result = sankey(JOURNEYS, { maxDepth: 5 });
    result.nodes.forEach((node, index) => {
      const inflow = result.links.filter((link) => link.target === index).reduce((sum, link) => sum + link.value, 0);
      const outflow = result.links.filter((link) => link.source === index).reduce((sum, link) => sum + link.value, 0);
      if (node.step > 0 && node.name !== 'exit') expect(outflow).toBe(inflow);
    });
  });
});
