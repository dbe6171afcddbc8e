import type { KdTree } from './kd-tree.js';
import { countWithin } from './kd-tree-search.js';

/**
 * DBSCAN's core pass over a range of tree positions, so that the calling
 * thread (dbscan.ts) and worker threads (dbscan-parallel.ts) run the same
 * code on any split of the rows: each row's flag depends only on the tree,
 * never on which thread or in which order it was computed, so the labels are
 * identical however the positions are shared out. (The border pass,
 * dbscan-border.ts, has the same property.)
 *
 * Queries go in tree order (position p queries the p-th point of the tree)
 * rather than row order: consecutive queries then walk the same nodes and
 * leaves, which stay in cache.
 */

/** core[row] = 1 when at least minSamples points (itself included) lie within eps. */
export function markCore(
  tree: KdTree, eps: number, minSamples: number, core: Uint8Array, fromPosition: number, toPosition: number,
): void {
  const { columns, points, order } = tree;
  for (let position = fromPosition; position < toPosition; position++) {
    // Counting stops at minSamples: a point in a dense region costs a few leaves, not its whole neighbourhood.
    if (countWithin(tree, points, position * columns, eps, minSamples) >= minSamples) core[order[position]!] = 1;
  }
}
