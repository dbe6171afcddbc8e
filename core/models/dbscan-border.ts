import type { KdTree } from './kd-tree.js';

/**
 * Border points, after the clusters have grown over core points alone: a
 * border point (not core, a core point within eps) takes the lowest label
 * among its core neighbours, which is the cluster that reaches it first when
 * clusters grow one after the other in label order, as sklearn's
 * dbscan_inner grows them. Each border point's label depends only on the
 * core labels, so any thread can take any range of positions.
 *
 * The search is branch-and-bound on the lowest core label under each node
 * (nodeMinLabel): a node that cannot beat the best label found so far is
 * skipped, so most searches end in the query's own leaf.
 */
const STACK_SIZE = 256;
const nodeStack = new Int32Array(STACK_SIZE);

/** Lowest label of a core point under each node; 2³¹−1 for none. Children have larger ids than their parent (kd-tree.ts builds top-down). */
export function lowestCoreLabels(tree: KdTree, core: Uint8Array, labels: Int32Array, out: Int32Array): Int32Array {
  const { order, nodeStart, nodeEnd, nodeLeft, nodeRight } = tree;
  for (let node = nodeStart.length - 1; node >= 0; node--) {
    const left = nodeLeft[node]!;
    if (left >= 0) {
      out[node] = Math.min(out[left]!, out[nodeRight[node]!]!);
      continue;
    }
    let lowest = NONE;
    for (let position = nodeStart[node]!; position < nodeEnd[node]!; position++) {
      const row = order[position]!;
      if (core[row] === 1 && labels[row]! < lowest) lowest = labels[row]!;
    }
    out[node] = lowest;
  }
  return out;
}

const NONE = 0x7fffffff;

/**
 * Labels every non-core point among tree positions from..to−1: the lowest
 * core label within eps, or noise (−1, as `labels` holds it) when no core
 * point is in reach.
 */
export function labelBorderPoints(
  tree: KdTree, eps: number, core: Uint8Array, labels: Int32Array, nodeMinLabel: Int32Array, fromPosition: number, toPosition: number,
): void {
  const { columns, points, order } = tree;
  for (let position = fromPosition; position < toPosition; position++) {
    const row = order[position]!;
    if (core[row] === 1) continue;
    const label = lowestCoreLabelWithin(tree, eps, core, labels, nodeMinLabel, points, position * columns);
    if (label !== NONE) labels[row] = label;
  }
}

function lowestCoreLabelWithin(
  tree: KdTree, eps: number, core: Uint8Array, labels: Int32Array, nodeMinLabel: Int32Array, query: Float64Array, queryOffset: number,
): number {
  const { columns, points, order, nodeStart, nodeEnd, nodeLeft, nodeRight, boxLow, boxHigh } = tree;
  const radiusSquared = eps * eps;
  const stack = nodeStack;
  let best = NONE;
  let top = 0;
  stack[top++] = 0;
  while (top > 0) {
    const node = stack[--top]!;
    if (nodeMinLabel[node]! >= best) continue;
    let near = 0;
    for (let column = 0; column < columns; column++) {
      const value = query[queryOffset + column]!;
      const gap = Math.max(boxLow[node * columns + column]! - value, value - boxHigh[node * columns + column]!, 0);
      near += gap * gap;
    }
    if (near > radiusSquared) continue;
    const left = nodeLeft[node]!;
    if (left >= 0) {
      // The child with the lower label on top: found first, it prunes the other.
      const right = nodeRight[node]!;
      const leftFirst = nodeMinLabel[left]! <= nodeMinLabel[right]!;
      stack[top++] = leftFirst ? right : left;
      stack[top++] = leftFirst ? left : right;
      continue;
    }
    for (let position = nodeStart[node]!; position < nodeEnd[node]!; position++) {
      const row = order[position]!;
      if (core[row] === 0 || labels[row]! >= best) continue;
      let sum = 0;
      for (let column = 0; column < columns; column++) {
        const difference = points[position * columns + column]! - query[queryOffset + column]!;
        sum += difference * difference;
      }
      if (sum <= radiusSquared) best = labels[row]!;
    }
  }
  return best;
}
