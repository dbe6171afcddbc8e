import type { Rng } from '../random/rng.js';

/**
 * One isolation tree as parallel typed arrays (node i is `feature[i]`,
 * `threshold[i]`, …): ψ = 256 gives at most 511 nodes, ~15 KB per tree, and
 * scoring walks arrays instead of chasing object pointers.
 */
export interface IsolationTree {
  /** Split feature, or -1 for a leaf. */
  feature: Int32Array;
  /** Go left when `value <= threshold`. */
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** Sample rows that reached the node. */
  size: Int32Array;
  /** For leaves: depth + c(size), the path length a point ending here gets. */
  pathLength: Float64Array;
}

const EULER_GAMMA = 0.5772156649015329;

/**
 * c(n): the average path length of an unsuccessful search in a binary search
 * tree of n points, used to normalise depths. c(n) = 2H(n−1) − 2(n−1)/n with
 * H(i) ≈ ln(i) + γ; c(1) = 0 and c(2) = 1 exactly (sklearn's _average_path_length).
 */
export function averagePathLength(size: number): number {
  if (size <= 1) return 0;
  if (size === 2) return 1;
  return 2 * (Math.log(size - 1) + EULER_GAMMA) - (2 * (size - 1)) / size;
}

/** sklearn's FEATURE_THRESHOLD: a feature whose range in the node is below this is constant there. */
const CONSTANT_FEATURE_RANGE = 1e-7;

/**
 * Grows one tree on `rows` sample points (row-major in `sample`), like
 * sklearn's ExtraTreeRegressor(max_features=1, splitter='random'): at each node
 * a feature drawn at random among those not constant in the node, a threshold
 * uniform in [min, max) of that feature over the node's points; a node is a
 * leaf at `maxDepth`, with one point, or when every feature is constant.
 */
export function buildIsolationTree(sample: Float64Array, rows: number, columns: number, maxDepth: number, rng: Rng): IsolationTree {
  const capacity = 2 * rows - 1;
  const feature = new Int32Array(capacity).fill(-1);
  const threshold = new Float64Array(capacity);
  const left = new Int32Array(capacity).fill(-1);
  const right = new Int32Array(capacity).fill(-1);
  const size = new Int32Array(capacity);
  const pathLength = new Float64Array(capacity);
  const nodeStart = new Int32Array(capacity);
  const nodeDepth = new Int32Array(capacity);
  const members = new Int32Array(rows);
  for (let row = 0; row < rows; row++) members[row] = row;
  const featureOrder = new Int32Array(columns);

  let nodeCount = 1;
  size[0] = rows;
  const pending = [0];
  while (pending.length > 0) {
    const node = pending.pop()!;
    const start = nodeStart[node]!;
    const end = start + size[node]!;
    const depth = nodeDepth[node]!;
    const split = depth < maxDepth && end - start > 1 ? chooseSplit(sample, columns, members, start, end, featureOrder, rng) : undefined;
    if (split === undefined) {
      pathLength[node] = depth + averagePathLength(end - start);
      continue;
    }
    // Partition members[start..end) so rows going left (value <= threshold) come first.
    let boundary = start;
    for (let index = start; index < end; index++) {
      const member = members[index]!;
      if (sample[member * columns + split.feature]! <= split.threshold) {
        members[index] = members[boundary]!;
        members[boundary++] = member;
      }
    }
    feature[node] = split.feature;
    threshold[node] = split.threshold;
    for (const [child, childStart, childEnd] of [[nodeCount, start, boundary], [nodeCount + 1, boundary, end]] as const) {
      nodeStart[child] = childStart;
      size[child] = childEnd - childStart;
      nodeDepth[child] = depth + 1;
      pending.push(child);
    }
    left[node] = nodeCount;
    right[node] = nodeCount + 1;
    nodeCount += 2;
  }
  return {
    feature: feature.slice(0, nodeCount),
    threshold: threshold.slice(0, nodeCount),
    left: left.slice(0, nodeCount),
    right: right.slice(0, nodeCount),
    size: size.slice(0, nodeCount),
    pathLength: pathLength.slice(0, nodeCount),
  };
}

/** A random non-constant feature and a uniform threshold in [min, max), or undefined when all are constant. */
function chooseSplit(
  sample: Float64Array, columns: number, members: Int32Array, start: number, end: number, featureOrder: Int32Array, rng: Rng,
): { feature: number; threshold: number } | undefined {
  for (let column = 0; column < columns; column++) featureOrder[column] = column;
  // Draw features without replacement until one varies in this node (sklearn skips constant ones the same way).
  for (let drawn = 0; drawn < columns; drawn++) {
    const pick = drawn + rng.int(columns - drawn);
    const candidate = featureOrder[pick]!;
    featureOrder[pick] = featureOrder[drawn]!;
    featureOrder[drawn] = candidate;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let index = start; index < end; index++) {
      const value = sample[members[index]! * columns + candidate]!;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    if (max <= min + CONSTANT_FEATURE_RANGE) continue;
    let cut = min + rng.next() * (max - min);
    if (cut >= max) cut = min; // rounding can land on max; sklearn falls back to min too
    return { feature: candidate, threshold: cut };
  }
  return undefined;
}
