import type { FeatureMatrix } from './feature-matrix.js';
import type { WardMerge } from './hierarchical-ward.js';
import { buildCentroidTree, nearestInTree, refreshLeafPath } from './ward-centroid-tree.js';
import type { WardClusters } from './ward-clusters.js';

/**
 * The nearest-neighbour chain for Ward linkage (Murtagh 1983; scipy's
 * `nn_chain`, which sklearn's AgglomerativeClustering(linkage='ward') runs),
 * over cluster centroids and sizes instead of a distance matrix: the Ward
 * criterion between clusters A and B is read off their centroids,
 * Δ = |A|·|B|/(|A|+|B|) · ‖c_A − c_B‖², the quantity scipy's Lance–Williams
 * update keeps for every pair (its height is √(2Δ)). Memory is the n × d
 * centroids, a k-d tree over them and a few n-long arrays, O(n): 100,000 × 8
 * is ~20 MB where the condensed matrix would be 40 GB. The nearest cluster is
 * found through the tree (ward-centroid-tree.ts) instead of a scan of all.
 *
 * Slot bookkeeping is scipy's, so that exact ties (duplicate rows, distance 0)
 * resolve the same way: a merge of slots a < b keeps the new cluster in slot
 * b, a new chain starts at the lowest live slot, the nearest is the smallest
 * criterion with ties to the previous chain element, then to the lowest slot.
 *
 * Returns the merges in the order they happen, children as slot ids; the
 * caller sorts and relabels them (scipy's `label`).
 */
export function nnChainWard(points: FeatureMatrix, size: Float64Array): WardMerge[] {
  const { rows: n, columns } = points;
  const clusters: WardClusters = {
    columns,
    length: n,
    slot: Int32Array.from({ length: n }, (_, index) => index),
    centroid: Float64Array.from(points.data.subarray(0, n * columns)),
    size: Float64Array.from(size),
  };
  let { tree } = buildCentroidTree(clusters);
  const positionOf = new Int32Array(n);
  positionsOfSlots(clusters, positionOf);
  let live = n;
  let liveAtBuild = n;
  const retiredSlot = new Uint8Array(n);
  let lowestLiveSlot = 0; // only grows: a merge retires the lower of its two slots
  const chain = new Int32Array(n); // positions in `clusters`
  let chainLength = 0;
  const merges: WardMerge[] = [];

  for (let step = 0; step < n - 1; step++) {
    if (chainLength === 0) {
      while (retiredSlot[lowestLiveSlot] === 1) lowestLiveSlot++;
      chain[chainLength++] = positionOf[lowestLiveSlot]!;
    }
    let x: number;
    let y: number;
    let criterion: number;
    // Follow nearest neighbours until two clusters are each other's nearest.
    for (;;) {
      x = chain[chainLength - 1]!;
      const previous = chainLength > 1 ? chain[chainLength - 2]! : -1;
      const nearest = nearestInTree(tree, clusters, x, previous);
      y = nearest.position;
      criterion = nearest.criterion;
      if (y === previous) break;
      chain[chainLength++] = y;
    }
    chainLength -= 2;
    if (clusters.slot[x]! > clusters.slot[y]!) [x, y] = [y, x];
    const sizeX = clusters.size[x]!;
    const sizeY = clusters.size[y]!;
    merges.push({ a: clusters.slot[x]!, b: clusters.slot[y]!, height: Math.sqrt(2 * criterion), size: sizeX + sizeY });
    retiredSlot[clusters.slot[x]!] = 1;
    mergeInto(clusters, x, y);
    refreshLeafPath(tree, clusters, x);
    refreshLeafPath(tree, clusters, y);
    live--;
    // Moved centroids make the split planes poor and retired ones still cost a
    // skip; once a quarter of the clusters have gone, rebuild on the live ones.
    // The sizes fall geometrically, so all rebuilds together cost about four
    // builds of the first tree.
    if (live < 0.75 * liveAtBuild && live > 1) {
      const rebuilt = buildCentroidTree(clusters);
      tree = rebuilt.tree;
      for (let index = 0; index < chainLength; index++) chain[index] = rebuilt.moved[chain[index]!]!;
      positionsOfSlots(clusters, positionOf);
      liveAtBuild = live;
    }
  }
  return merges;
}

/** Slot → position after a build moved the clusters into tree order. */
function positionsOfSlots(clusters: WardClusters, positionOf: Int32Array): void {
  for (let position = 0; position < clusters.length; position++) positionOf[clusters.slot[position]!] = position;
}

/**
 * Cluster x joins y. The centroid moves from c_y towards c_x by |x|/(|x|+|y|)
 * of the way rather than being recomputed as a weighted mean, so two clusters
 * at the same point give back exactly that point: duplicate rows stay at
 * distance 0 from each other, as they are in scipy's matrix. The retired
 * position keeps its place (size 0, skipped by queries) until the next rebuild.
 */
function mergeInto(clusters: WardClusters, x: number, y: number): void {
  const { columns, centroid, size } = clusters;
  const sizeX = size[x]!;
  const total = sizeX + size[y]!;
  const share = sizeX / total;
  for (let column = 0; column < columns; column++) {
    const to = y * columns + column;
    centroid[to] = centroid[to]! + (centroid[x * columns + column]! - centroid[to]!) * share;
  }
  size[y] = total;
  size[x] = 0;
}
