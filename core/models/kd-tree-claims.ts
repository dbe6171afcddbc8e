import { boxBounds, boxDistanceSquared, type KdTree } from './kd-tree.js';
import type { NeighborBuffer } from './kd-tree-search.js';

/**
 * Which points are still unclaimed, per row and per tree node, so a radius
 * search can skip every subtree whose points are all taken. Why: DBSCAN
 * expands each core point's neighbourhood once, and at a generous eps a core
 * point in a dense cluster has thousands of neighbours, nearly all already
 * labelled; scanning them again made one 100k-row run take 30 s. With the
 * counts, a labelled region costs a few box tests. Claiming a row walks its
 * leaf-to-root path (~20 nodes at a million rows).
 */
export interface ClaimTracker {
  /** 1 once the row is claimed. */
  taken: Uint8Array;
  /** Unclaimed points under each node. */
  remaining: Int32Array;
  leafOfRow: Int32Array;
}

export function createClaimTracker(tree: KdTree): ClaimTracker {
  const rows = tree.order.length;
  const nodes = tree.nodeStart.length;
  const remaining = new Int32Array(nodes);
  const leafOfRow = new Int32Array(rows);
  for (let node = 0; node < nodes; node++) {
    remaining[node] = tree.nodeEnd[node]! - tree.nodeStart[node]!;
    if (tree.nodeLeft[node]! >= 0) continue;
    for (let position = tree.nodeStart[node]!; position < tree.nodeEnd[node]!; position++) leafOfRow[tree.order[position]!] = node;
  }
  return { taken: new Uint8Array(rows), remaining, leafOfRow };
}

export function claim(tree: KdTree, tracker: ClaimTracker, row: number): void {
  if (tracker.taken[row] === 1) return;
  tracker.taken[row] = 1;
  for (let node = tracker.leafOfRow[row]!; node >= 0; node = tree.nodeParent[node]!) tracker.remaining[node] = tracker.remaining[node]! - 1;
}

const STACK_SIZE = 256;
const nodeStack = new Int32Array(STACK_SIZE);
const bounds = new Float64Array(2);

/** The first unclaimed point found within `radius` of the query, or -1: "is any candidate in reach?". */
export function findUnclaimedWithin(tree: KdTree, tracker: ClaimTracker, query: Float64Array, queryOffset: number, radius: number): number {
  const { columns, points, order, nodeStart, nodeEnd, nodeLeft, nodeRight } = tree;
  const { taken, remaining } = tracker;
  const radiusSquared = radius * radius;
  const stack = nodeStack;
  let top = 0;
  stack[top++] = 0;
  while (top > 0) {
    const node = stack[--top]!;
    if (remaining[node] === 0 || boxDistanceSquared(tree, node, query, queryOffset, false) > radiusSquared) continue;
    if (nodeLeft[node]! >= 0) {
      stack[top++] = nodeLeft[node]!;
      stack[top++] = nodeRight[node]!;
      continue;
    }
    for (let position = nodeStart[node]!; position < nodeEnd[node]!; position++) {
      const row = order[position]!;
      if (taken[row] === 1) continue;
      let sum = 0;
      for (let column = 0; column < columns; column++) {
        const difference = points[position * columns + column]! - query[queryOffset + column]!;
        sum += difference * difference;
      }
      if (sum <= radiusSquared) return row;
    }
  }
  return -1;
}

/** Like collectWithin, but only unclaimed points (claiming nothing: the caller decides). */
export function collectUnclaimedWithin(
  tree: KdTree, tracker: ClaimTracker, query: Float64Array, queryOffset: number, radius: number, out: NeighborBuffer,
): void {
  const { columns, points, order, nodeStart, nodeEnd, nodeLeft, nodeRight } = tree;
  const { taken, remaining } = tracker;
  const radiusSquared = radius * radius;
  const stack = nodeStack;
  let top = 0;
  out.length = 0;
  if (remaining[0]! > 0) stack[top++] = 0;
  while (top > 0) {
    const node = stack[--top]!;
    boxBounds(tree, node, query, queryOffset, bounds);
    if (bounds[0]! > radiusSquared) continue;
    const inside = bounds[1]! <= radiusSquared;
    const left = nodeLeft[node]!;
    if (!inside && left >= 0) {
      // Fully claimed children are dropped before they cost a box test.
      const right = nodeRight[node]!;
      if (remaining[left]! > 0) stack[top++] = left;
      if (remaining[right]! > 0) stack[top++] = right;
      continue;
    }
    for (let position = nodeStart[node]!; position < nodeEnd[node]!; position++) {
      const row = order[position]!;
      if (taken[row] === 1) continue;
      if (!inside) {
        let sum = 0;
        for (let column = 0; column < columns; column++) {
          const difference = points[position * columns + column]! - query[queryOffset + column]!;
          sum += difference * difference;
        }
        if (sum > radiusSquared) continue;
      }
      if (out.length === out.rows.length) {
        const grown = new Int32Array(out.rows.length * 2);
        grown.set(out.rows);
        out.rows = grown;
      }
      out.rows[out.length++] = row;
    }
  }
}
