import { boxDistanceSquared, type KdTree } from './kd-tree.js';

/**
 * Queries on a KdTree. Distances are compared squared (`<= radius²`, as
 * scikit-learn's KDTree does), so no square root runs per candidate. Each
 * search keeps its node stack in a typed array sized for the deepest possible
 * tree, so a million queries allocate nothing.
 */
const STACK_SIZE = 256;
// Module-level scratch: JavaScript runs one search at a time per thread, and a
// fresh stack per query would be a million small allocations per DBSCAN pass.
const nodeStack = new Int32Array(STACK_SIZE);
const boundStack = new Float64Array(STACK_SIZE);

/** A growable list of row indices, reused across queries to avoid garbage. */
export interface NeighborBuffer {
  rows: Int32Array;
  length: number;
}

export function createNeighborBuffer(capacity = 256): NeighborBuffer {
  return { rows: new Int32Array(capacity), length: 0 };
}

/**
 * How many points lie within `radius` of the query (the query point itself
 * counts when it is in the tree), stopping as soon as `stopAt` is reached:
 * DBSCAN only needs to know whether a point is core, and in dense regions the
 * early stop saves most of the work.
 */
export function countWithin(
  tree: KdTree, query: Float64Array, queryOffset: number, radius: number, stopAt = Number.POSITIVE_INFINITY,
): number {
  const { columns, points, nodeStart, nodeEnd, nodeLeft, nodeRight } = tree;
  const radiusSquared = radius * radius;
  const stack = nodeStack;
  let top = 0;
  let count = 0;
  if (boxDistanceSquared(tree, 0, query, queryOffset, false) <= radiusSquared) stack[top++] = 0;
  while (top > 0) {
    const node = stack[--top]!;
    const start = nodeStart[node]!;
    const end = nodeEnd[node]!;
    if (boxDistanceSquared(tree, node, query, queryOffset, true) <= radiusSquared) {
      count += end - start; // the whole box is inside the ball
      if (count >= stopAt) return count;
      continue;
    }
    const left = nodeLeft[node]!;
    if (left < 0) {
      for (let position = start; position < end; position++) {
        if (squaredDistance(points, position * columns, query, queryOffset, columns) <= radiusSquared && ++count >= stopAt) return count;
      }
      continue;
    }
    // Nearer child on top of the stack: with an early stop, the query's own
    // neighbourhood is counted first and most dense-region queries end there.
    const right = nodeRight[node]!;
    const leftBound = boxDistanceSquared(tree, left, query, queryOffset, false);
    const rightBound = boxDistanceSquared(tree, right, query, queryOffset, false);
    const nearIsLeft = leftBound <= rightBound;
    const far = nearIsLeft ? right : left;
    const near = nearIsLeft ? left : right;
    if ((nearIsLeft ? rightBound : leftBound) <= radiusSquared) stack[top++] = far;
    if ((nearIsLeft ? leftBound : rightBound) <= radiusSquared) stack[top++] = near;
  }
  return count;
}

/** Collects the source row indices of all points within `radius` of the query into `out` (cleared first). */
export function collectWithin(
  tree: KdTree, query: Float64Array, queryOffset: number, radius: number, out: NeighborBuffer,
): void {
  const { columns, points, order, nodeStart, nodeEnd, nodeLeft, nodeRight } = tree;
  const radiusSquared = radius * radius;
  const stack = nodeStack;
  let top = 0;
  out.length = 0;
  stack[top++] = 0;
  while (top > 0) {
    const node = stack[--top]!;
    if (boxDistanceSquared(tree, node, query, queryOffset, false) > radiusSquared) continue;
    const start = nodeStart[node]!;
    const end = nodeEnd[node]!;
    const inside = boxDistanceSquared(tree, node, query, queryOffset, true) <= radiusSquared;
    if (!inside && nodeLeft[node]! >= 0) {
      stack[top++] = nodeLeft[node]!;
      stack[top++] = nodeRight[node]!;
      continue;
    }
    for (let position = start; position < end; position++) {
      if (inside || squaredDistance(points, position * columns, query, queryOffset, columns) <= radiusSquared) {
        if (out.length === out.rows.length) {
          const grown = new Int32Array(out.rows.length * 2);
          grown.set(out.rows);
          out.rows = grown;
        }
        out.rows[out.length++] = order[position]!;
      }
    }
  }
}

/**
 * Distance from the query to its k-th nearest point in the tree, the query
 * itself included when it is in the tree (scikit-learn's `kneighbors(X)`
 * convention, so k = min_samples gives the eps at which the point turns core).
 */
export function kthNeighborDistance(tree: KdTree, query: Float64Array, queryOffset: number, k: number): number {
  const { columns, points, nodeStart, nodeEnd, nodeLeft, nodeRight } = tree;
  if (k < 1 || k > tree.order.length) throw new RangeError(`kthNeighborDistance: k must be in 1..${tree.order.length}, got ${k}`);
  // A max-heap of the k smallest squared distances seen so far; heap[0] is the bound.
  const heap = new Float64Array(k).fill(Number.POSITIVE_INFINITY);
  const stack = nodeStack;
  const stackBound = boundStack;
  let top = 0;
  stack[top] = 0;
  stackBound[top++] = boxDistanceSquared(tree, 0, query, queryOffset, false);
  while (top > 0) {
    top--;
    const node = stack[top]!;
    if (stackBound[top]! > heap[0]!) continue;
    const left = nodeLeft[node]!;
    if (left >= 0) {
      const right = nodeRight[node]!;
      const leftBound = boxDistanceSquared(tree, left, query, queryOffset, false);
      const rightBound = boxDistanceSquared(tree, right, query, queryOffset, false);
      // Push the farther child first so the nearer one is searched first and tightens the bound.
      const nearIsLeft = leftBound <= rightBound;
      stack[top] = nearIsLeft ? right : left;
      stackBound[top++] = nearIsLeft ? rightBound : leftBound;
      stack[top] = nearIsLeft ? left : right;
      stackBound[top++] = nearIsLeft ? leftBound : rightBound;
      continue;
    }
    for (let position = nodeStart[node]!; position < nodeEnd[node]!; position++) {
      const distance = squaredDistance(points, position * columns, query, queryOffset, columns);
      if (distance < heap[0]!) replaceHeapTop(heap, distance);
    }
  }
  return Math.sqrt(heap[0]!);
}

function replaceHeapTop(heap: Float64Array, value: number): void {
  const size = heap.length;
  let index = 0;
  for (;;) {
    const left = 2 * index + 1;
    if (left >= size) break;
    const right = left + 1;
    const larger = right < size && heap[right]! > heap[left]! ? right : left;
    if (heap[larger]! <= value) break;
    heap[index] = heap[larger]!;
    index = larger;
  }
  heap[index] = value;
}

function squaredDistance(points: Float64Array, pointOffset: number, query: Float64Array, queryOffset: number, columns: number): number {
  let sum = 0;
  for (let column = 0; column < columns; column++) {
    const difference = points[pointOffset + column]! - query[queryOffset + column]!;
    sum += difference * difference;
  }
  return sum;
}
