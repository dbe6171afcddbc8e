import type { FeatureMatrix } from './feature-matrix.js';

/**
 * A static k-d tree over the rows of a FeatureMatrix, for DBSCAN's radius
 * queries and the k-distance curve that suggests eps. Why our own: DBSCAN
 * needs one neighbourhood per point, and a brute-force scan is O(n²), about
 * 10¹² distance evaluations at a million customers. The tree is flat (typed
 * arrays, no node objects), so a million 8-D points cost ~70 MB for the
 * reordered copy plus a few MB of nodes, and queries touch memory in order.
 *
 * Splits are at the median of the widest bounding-box side, so the tree is
 * balanced whatever the data; each node keeps its bounding box, which gives a
 * tight lower bound (prune) and upper bound (take the whole leaf range at
 * once) on the distance from a query to anything inside it.
 */
export interface KdTree {
  readonly columns: number;
  /** Row index in the source matrix of each point, in tree order. */
  readonly order: Int32Array;
  /** The points copied in tree order (row-major), for cache-friendly scans. */
  readonly points: Float64Array;
  readonly nodeStart: Int32Array;
  readonly nodeEnd: Int32Array;
  /** Child node ids; -1 for a leaf. */
  readonly nodeLeft: Int32Array;
  readonly nodeRight: Int32Array;
  /** Parent node id; -1 for the root. */
  readonly nodeParent: Int32Array;
  /** Bounding boxes, `columns` values per node. */
  readonly boxLow: Float64Array;
  readonly boxHigh: Float64Array;
}

/** Points per leaf: fewer means more box tests, more means longer scans; 12–48 timed alike on 8-D data. @default 24 */
const DEFAULT_LEAF_SIZE = 24;

export function buildKdTree(matrix: FeatureMatrix, leafSize = DEFAULT_LEAF_SIZE): KdTree {
  const { rows, columns, data } = matrix;
  for (let index = 0; index < rows * columns; index++) {
    // NaN compares false both ways: it would corrupt the boxes and silently make a point noise.
    if (!Number.isFinite(data[index]!)) {
      throw new RangeError(`row ${Math.floor(index / columns)}, column ${index % columns} is ${data[index]}; impute or drop missing values first`);
    }
  }
  const order = new Int32Array(rows);
  for (let index = 0; index < rows; index++) order[index] = index;
  const maxNodes = Math.max(1, 2 * Math.ceil(rows / Math.max(1, Math.floor(leafSize / 2))) + 1);
  const nodeStart = new Int32Array(maxNodes);
  const nodeEnd = new Int32Array(maxNodes);
  const nodeLeft = new Int32Array(maxNodes).fill(-1);
  const nodeRight = new Int32Array(maxNodes).fill(-1);
  const nodeParent = new Int32Array(maxNodes).fill(-1);
  const boxLow = new Float64Array(maxNodes * columns);
  const boxHigh = new Float64Array(maxNodes * columns);
  let nodeCount = 0;

  // Explicit stack instead of recursion: the tree is ~log2(n / leafSize) deep, but
  // a stack of node ids is cheaper than closures and never hits a call-depth limit.
  const pending: number[] = [];
  const newNode = (start: number, end: number, parent: number): number => {
    const node = nodeCount++;
    nodeParent[node] = parent;
    nodeStart[node] = start;
    nodeEnd[node] = end;
    computeBox(data, columns, order, start, end, boxLow, boxHigh, node * columns);
    pending.push(node);
    return node;
  };
  newNode(0, rows, -1);
  while (pending.length > 0) {
    const node = pending.pop()!;
    const start = nodeStart[node]!;
    const end = nodeEnd[node]!;
    if (end - start <= leafSize) continue;
    let splitColumn = 0;
    let widest = -1;
    for (let column = 0; column < columns; column++) {
      const width = boxHigh[node * columns + column]! - boxLow[node * columns + column]!;
      if (width > widest) {
        widest = width;
        splitColumn = column;
      }
    }
    if (widest <= 0) continue; // all points identical: nothing to split
    const middle = (start + end) >>> 1;
    selectByColumn(data, columns, order, start, end - 1, middle, splitColumn);
    nodeLeft[node] = newNode(start, middle, node);
    nodeRight[node] = newNode(middle, end, node);
  }

  const points = new Float64Array(rows * columns);
  for (let position = 0; position < rows; position++) {
    const source = order[position]! * columns;
    for (let column = 0; column < columns; column++) points[position * columns + column] = data[source + column]!;
  }
  return {
    columns,
    order,
    points,
    nodeStart: nodeStart.slice(0, nodeCount),
    nodeEnd: nodeEnd.slice(0, nodeCount),
    nodeLeft: nodeLeft.slice(0, nodeCount),
    nodeRight: nodeRight.slice(0, nodeCount),
    nodeParent: nodeParent.slice(0, nodeCount),
    boxLow: boxLow.slice(0, nodeCount * columns),
    boxHigh: boxHigh.slice(0, nodeCount * columns),
  };
}

function computeBox(
  data: Float64Array, columns: number, order: Int32Array, start: number, end: number,
  low: Float64Array, high: Float64Array, offset: number,
): void {
  low.fill(Infinity, offset, offset + columns);
  high.fill(-Infinity, offset, offset + columns);
  for (let position = start; position < end; position++) {
    const base = order[position]! * columns;
    for (let column = 0; column < columns; column++) {
      const value = data[base + column]!;
      if (value < low[offset + column]!) low[offset + column] = value;
      if (value > high[offset + column]!) high[offset + column] = value;
    }
  }
}

/** Hoare quickselect on `order[left..right]` so position `target` holds its order statistic by `column`. */
function selectByColumn(
  data: Float64Array, columns: number, order: Int32Array, left: number, right: number, target: number, column: number,
): void {
  while (right > left) {
    const pivot = data[order[(left + right) >>> 1]! * columns + column]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (data[order[i]! * columns + column]! < pivot) i++;
      while (data[order[j]! * columns + column]! > pivot) j--;
      if (i <= j) {
        const swap = order[i]!;
        order[i] = order[j]!;
        order[j] = swap;
        i++;
        j--;
      }
    }
    if (target <= j) right = j;
    else if (target >= i) left = i;
    else return;
  }
}

/** Squared distance from a query point to the nearest (`far` false) or farthest point of a node's box. */
export function boxDistanceSquared(tree: KdTree, node: number, query: Float64Array, queryOffset: number, far: boolean): number {
  const { columns, boxLow, boxHigh } = tree;
  const base = node * columns;
  let sum = 0;
  for (let column = 0; column < columns; column++) {
    const value = query[queryOffset + column]!;
    const low = boxLow[base + column]!;
    const high = boxHigh[base + column]!;
    let gap: number;
    if (far) gap = Math.max(value - low, high - value);
    else gap = value < low ? low - value : value > high ? value - high : 0;
    sum += gap * gap;
  }
  return sum;
}

/**
 * Both box distances in one sweep over the columns: `bounds[0]` = squared
 * distance to the nearest point of the node's box, `bounds[1]` = to the
 * farthest. Searches need both at most nodes, and one loop reads the box once.
 */
export function boxBounds(tree: KdTree, node: number, query: Float64Array, queryOffset: number, bounds: Float64Array): void {
  const { columns, boxLow, boxHigh } = tree;
  const base = node * columns;
  let near = 0;
  let far = 0;
  for (let column = 0; column < columns; column++) {
    const value = query[queryOffset + column]!;
    const below = boxLow[base + column]! - value;
    const above = value - boxHigh[base + column]!;
    const gap = below > 0 ? below : above > 0 ? above : 0;
    const reach = Math.max(-below, -above); // max(value − low, high − value), never negative
    near += gap * gap;
    far += reach * reach;
  }
  bounds[0] = near;
  bounds[1] = far;
}
