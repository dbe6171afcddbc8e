import { labelBorderPoints } from './dbscan-border.js';
import { markCore } from './dbscan-passes.js';
import type { DbscanPass } from './dbscan-worker-threads.js';

/** Takes chunks of positions off the pass's shared cursor until the tree is covered; any thread, any number at once. */
export function runDbscanPassChunks(pass: DbscanPass): void {
  const positions = pass.tree.order.length;
  for (;;) {
    const from = Atomics.add(pass.cursor, 0, pass.chunk);
    if (from >= positions) return;
    const to = Math.min(positions, from + pass.chunk);
    if (pass.kind === 'core') markCore(pass.tree, pass.eps, pass.minSamples, pass.core, from, to);
    else labelBorderPoints(pass.tree, pass.eps, pass.core, pass.labels, pass.nodeMinLabel, from, to);
  }
}
