import { wardCriterion, type WardClusters, type WardNearest } from './ward-clusters.js';

/**
 * A k-d tree over the live Ward centroids, so the NN-chain's "nearest cluster
 * to x" visits a few leaves instead of every cluster. Why: the plain scan of
 * all live clusters is ≈ 1.5·n² criterion evaluations, measured 11.8 s at
 * 20,000 × 8 (~5 minutes projected at 100,000); through the tree a query
 * evaluated ~600 candidates at 20,000 × 8 and the whole tree took 2.7–3 s of
 * CPU, ~30 s at 100,000 × 8.
 *
 * The bound: Δ(x, i) = f(|x|, |i|)·‖c_x − c_i‖² with f(a, b) = a·b/(a + b)
 * increasing in b, so for every cluster under a node
 * Δ ≥ f(|x|, smallest size under the node) · (distance from c_x to the node's box)².
 * A merge moves one centroid and retires another; both leaves' boxes and
 * smallest sizes are recomputed up to the root (refreshLeafPath), so bounds
 * stay exact. A retired cluster stays in its leaf with size 0 and is skipped;
 * the chain rebuilds the tree (on the compacted clusters) when the live count
 * has dropped by a quarter, since moved centroids make the split planes poor.
 */
export interface CentroidTree {
  /** Leaves are contiguous position ranges: buildCentroidTree puts the clusters in tree order. */
  readonly nodeStart: Int32Array;
  readonly nodeEnd: Int32Array;
  /** −1 for a leaf. */
  readonly nodeLeft: Int32Array;
  readonly nodeRight: Int32Array;
  readonly nodeParent: Int32Array;
  readonly boxLow: Float64Array;
  readonly boxHigh: Float64Array;
  readonly nodeMinSize: Float64Array;
  /** Leaf node holding each position. */
  readonly leafOf: Int32Array;
}

/** Clusters per leaf: 8, 16 and 32 measured 3.3, 2.9 and 2.7 s of CPU at 20,000 × 8 (shared machine, ±10%). */
const LEAF_SIZE = 32;
const STACK_SIZE = 256;
const stack = new Int32Array(STACK_SIZE);
const boundStack = new Float64Array(STACK_SIZE);
// Lower bounds may round a hair above the criterion they bound; pruning only
// beyond this relative margin keeps every candidate that could tie or win.
const BOUND_SLACK = 1 + 1e-9;

/**
 * Builds the tree over the live clusters and moves them, in place, into tree
 * order (retired ones dropped), so every leaf is a contiguous run of
 * positions and a query reads centroids in memory order: with an index
 * indirection the leaf scans missed the cache on every candidate. Returns
 * old position → new position (−1 for a dropped one) for the caller's chain.
 */
export function buildCentroidTree(clusters: WardClusters): { tree: CentroidTree; moved: Int32Array } {
  const { columns, centroid, size } = clusters;
  const live: number[] = [];
  for (let position = 0; position < clusters.length; position++) if (size[position]! > 0) live.push(position);
  const n = live.length;
  const order = Int32Array.from(live);
  const maxNodes = 2 * Math.ceil(n / (LEAF_SIZE / 2)) + 1;
  const tree: CentroidTree = {
    nodeStart: new Int32Array(maxNodes),
    nodeEnd: new Int32Array(maxNodes),
    nodeLeft: new Int32Array(maxNodes).fill(-1),
    nodeRight: new Int32Array(maxNodes).fill(-1),
    nodeParent: new Int32Array(maxNodes).fill(-1),
    boxLow: new Float64Array(maxNodes * columns),
    boxHigh: new Float64Array(maxNodes * columns),
    nodeMinSize: new Float64Array(maxNodes),
    leafOf: new Int32Array(n),
  };
  let nodes = 0;
  const pending: number[] = [];
  const newNode = (start: number, end: number, parent: number): number => {
    const node = nodes++;
    tree.nodeStart[node] = start;
    tree.nodeEnd[node] = end;
    tree.nodeParent[node] = parent;
    pending.push(node);
    return node;
  };
  newNode(0, n, -1);
  while (pending.length > 0) {
    const node = pending.pop()!;
    const start = tree.nodeStart[node]!;
    const end = tree.nodeEnd[node]!;
    if (end - start <= LEAF_SIZE) {
      for (let index = start; index < end; index++) tree.leafOf[index] = node;
      continue;
    }
    const widest = widestColumn(order, start, end, centroid, columns);
    const middle = (start + end) >> 1;
    selectNth(order, start, end, middle, centroid, columns, widest);
    tree.nodeLeft[node] = newNode(start, middle, node);
    tree.nodeRight[node] = newNode(middle, end, node);
  }
  const moved = permute(clusters, order);
  // Boxes and smallest sizes bottom-up: children always have larger ids than their parent.
  for (let node = nodes - 1; node >= 0; node--) refreshNode(tree, clusters, node);
  return { tree, moved };
}

function widestColumn(order: Int32Array, start: number, end: number, centroid: Float64Array, columns: number): number {
  let widest = 0;
  let widestSide = -1;
  for (let column = 0; column < columns; column++) {
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    for (let index = start; index < end; index++) {
      const value = centroid[order[index]! * columns + column]!;
      if (value < low) low = value;
      if (value > high) high = value;
    }
    if (high - low > widestSide) {
      widestSide = high - low;
      widest = column;
    }
  }
  return widest;
}

function permute(clusters: WardClusters, order: Int32Array): Int32Array {
  const { columns } = clusters;
  const moved = new Int32Array(clusters.length).fill(-1);
  const slot = clusters.slot.slice();
  const size = clusters.size.slice();
  const centroid = clusters.centroid.slice();
  order.forEach((from, to) => {
    moved[from] = to;
    clusters.slot[to] = slot[from]!;
    clusters.size[to] = size[from]!;
    clusters.centroid.set(centroid.subarray(from * columns, (from + 1) * columns), to * columns);
  });
  clusters.length = order.length;
  return moved;
}

/**
 * After a merge: recomputes the box and smallest size of a leaf from its live
 * clusters, then of every ancestor from its two children (O(leaf + depth)).
 * Why exact rather than only grown: with stale smallest sizes every node
 * keeps the bound of a singleton, f ≈ 1, and a query from a large cluster
 * (whose true criteria are |x|/2·‖·‖² and up) visits most of the tree;
 * measured 2.6× slower at 20,000 × 8 with grow-only boxes.
 */
export function refreshLeafPath(tree: CentroidTree, clusters: WardClusters, position: number): void {
  for (let node = tree.leafOf[position]!; node >= 0; node = tree.nodeParent[node]!) refreshNode(tree, clusters, node);
}

/** A leaf's box and smallest size from its live clusters; an inner node's from its two children. */
function refreshNode(tree: CentroidTree, { columns, centroid, size }: WardClusters, node: number): void {
  const { nodeStart, nodeEnd, nodeLeft, nodeRight, boxLow, boxHigh, nodeMinSize } = tree;
  const left = nodeLeft[node]!;
  if (left >= 0) {
    const right = nodeRight[node]!;
    nodeMinSize[node] = Math.min(nodeMinSize[left]!, nodeMinSize[right]!);
    for (let column = 0; column < columns; column++) {
      boxLow[node * columns + column] = Math.min(boxLow[left * columns + column]!, boxLow[right * columns + column]!);
      boxHigh[node * columns + column] = Math.max(boxHigh[left * columns + column]!, boxHigh[right * columns + column]!);
    }
    return;
  }
  let minSize = Number.POSITIVE_INFINITY;
  for (let column = 0; column < columns; column++) {
    boxLow[node * columns + column] = Number.POSITIVE_INFINITY;
    boxHigh[node * columns + column] = Number.NEGATIVE_INFINITY;
  }
  for (let position = nodeStart[node]!; position < nodeEnd[node]!; position++) {
    if (size[position] === 0) continue;
    if (size[position]! < minSize) minSize = size[position]!;
    for (let column = 0; column < columns; column++) {
      const value = centroid[position * columns + column]!;
      if (value < boxLow[node * columns + column]!) boxLow[node * columns + column] = value;
      if (value > boxHigh[node * columns + column]!) boxHigh[node * columns + column] = value;
    }
  }
  nodeMinSize[node] = minSize;
}

/**
 * The live cluster nearest to x under Ward's criterion, with scipy's tie
 * rule made independent of visiting order: the smallest criterion; among
 * equals the previous chain element, else the lowest slot.
 */
export function nearestInTree(tree: CentroidTree, clusters: WardClusters, x: number, previous: number): WardNearest {
  const { columns, centroid, size, slot } = clusters;
  const { nodeStart, nodeEnd, nodeLeft, nodeRight, boxLow, boxHigh, nodeMinSize } = tree;
  const sizeX = size[x]!;
  let best = previous;
  let bestCriterion = previous >= 0 ? wardCriterion(clusters, x, previous) : Number.POSITIVE_INFINITY;
  const bound = (node: number): number => {
    let sum = 0;
    for (let column = 0; column < columns; column++) {
      const value = centroid[x * columns + column]!;
      const low = boxLow[node * columns + column]!;
      const high = boxHigh[node * columns + column]!;
      // Branch-free: which side of the box the centroid lies on is a coin toss for the branch predictor.
      const gap = Math.max(low - value, value - high, 0);
      sum += gap * gap;
    }
    const minSize = nodeMinSize[node]!;
    if (minSize === Number.POSITIVE_INFINITY) return minSize; // no live cluster under the node
    return ((sizeX * minSize) / (sizeX + minSize)) * sum;
  };
  let top = 0;
  boundStack[top] = bound(0);
  stack[top++] = 0;
  while (top > 0) {
    const node = stack[--top]!;
    // The bound was computed when the node was pushed; the best may have dropped since.
    if (boundStack[top]! > bestCriterion * BOUND_SLACK) continue;
    const left = nodeLeft[node]!;
    if (left < 0) {
      for (let position = nodeStart[node]!; position < nodeEnd[node]!; position++) {
        if (position === x || size[position] === 0) continue;
        const criterion = wardCriterion(clusters, x, position);
        if (criterion < bestCriterion || (criterion === bestCriterion && best !== previous && slot[position]! < slot[best]!)) {
          bestCriterion = criterion;
          best = position;
        }
      }
      continue;
    }
    const right = nodeRight[node]!;
    const leftBound = bound(left);
    const rightBound = bound(right);
    // Nearer child on top: it usually lowers the best enough to prune the other.
    const limit = bestCriterion * BOUND_SLACK;
    const nearIsLeft = leftBound <= rightBound;
    const far = nearIsLeft ? right : left;
    const farBound = nearIsLeft ? rightBound : leftBound;
    const nearBound = nearIsLeft ? leftBound : rightBound;
    if (farBound <= limit) {
      boundStack[top] = farBound;
      stack[top++] = far;
    }
    if (nearBound <= limit) {
      boundStack[top] = nearBound;
      stack[top++] = nearIsLeft ? left : right;
    }
  }
  return { position: best, criterion: bestCriterion };
}

/** Quickselect: order[start..end) rearranged so order[nth] has the nth smallest value of `column`, smaller ones before it. */
function selectNth(order: Int32Array, start: number, end: number, nth: number, centroid: Float64Array, columns: number, column: number): void {
  let low = start;
  let high = end - 1;
  const key = (index: number): number => centroid[order[index]! * columns + column]!;
  while (high > low) {
    const pivot = key((low + high) >> 1);
    let i = low;
    let j = high;
    while (i <= j) {
      while (key(i) < pivot) i++;
      while (key(j) > pivot) j--;
      if (i <= j) {
        const swap = order[i]!;
        order[i] = order[j]!;
        order[j] = swap;
        i++;
        j--;
      }
    }
    if (nth <= j) high = j;
    else if (nth >= i) low = i;
    else return;
  }
}
