import type { KmeansRowState } from './kmeans-block-passes.js';

/**
 * Gives every empty cluster a new centre, as scikit-learn's
 * `_relocate_empty_clusters_dense` does: the rows farthest from their own
 * (previous) centre are moved, one per empty cluster, and become that
 * cluster's centre; their old clusters lose them from the running sums.
 *
 * Differences, both deterministic where sklearn's argpartition is not:
 * - the farthest rows are taken in order of distance (ties: lower row
 *   index first) and given to the empty clusters in increasing cluster index;
 * - a row that is alone in its cluster is never taken, because moving it
 *   would only empty another cluster.
 *
 * It scans all rows once on the calling thread; that only happens when a
 * cluster empties (rare after k-means++ seeding), so it is not worth a pass.
 *
 * `sums` (k×d) and `counts` (k) are updated in place, before the division.
 * Returns the number of clusters that were relocated.
 */
export function relocateEmptyClusters(
  state: KmeansRowState,
  previousCentres: Float64Array,
  sums: Float64Array,
  counts: Float64Array,
): number {
  const k = counts.length;
  const empty: number[] = [];
  for (let centre = 0; centre < k; centre++) if (counts[centre] === 0) empty.push(centre);
  if (empty.length === 0) return 0;

  const { rows, columns, data, labels } = state;
  const farthest = farthestRows(rows, empty.length + k, (row) => {
    const label = labels[row]!;
    let distance = 0;
    for (let column = 0; column < columns; column++) {
      const difference = data[row * columns + column]! - previousCentres[label * columns + column]!;
      distance += difference * difference;
    }
    return distance;
  });

  let relocated = 0;
  for (const row of farthest) {
    if (relocated === empty.length) break;
    const oldCluster = labels[row]!;
    if (counts[oldCluster]! <= 1) continue;
    const newCluster = empty[relocated]!;
    for (let column = 0; column < columns; column++) {
      const value = data[row * columns + column]!;
      sums[oldCluster * columns + column] -= value;
      sums[newCluster * columns + column] = value;
    }
    counts[oldCluster] -= 1;
    counts[newCluster] = 1;
    relocated++;
  }
  return relocated;
}

/**
 * Indices of the `count` rows with the largest `distanceOf`, farthest first,
 * ties to the lower row index. A small sorted list: count is at most 2k.
 */
function farthestRows(rows: number, count: number, distanceOf: (row: number) => number): number[] {
  const kept: { row: number; distance: number }[] = [];
  for (let row = 0; row < rows; row++) {
    const distance = distanceOf(row);
    if (kept.length === count && distance <= kept[kept.length - 1]!.distance) continue;
    let position = kept.length;
    while (position > 0 && kept[position - 1]!.distance < distance) position--;
    kept.splice(position, 0, { row, distance });
    if (kept.length > count) kept.pop();
  }
  return kept.map((entry) => entry.row);
}
