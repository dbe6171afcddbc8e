/**
 * The live clusters of a Ward NN-chain run (ward-nn-chain.ts) in flat typed
 * arrays, O(n) memory in all: centroids and sizes, no distance matrix.
 */
export interface WardClusters {
  readonly columns: number;
  /** Positions in use, 0..length−1 (a retired one has size 0 until the next tree build drops it). */
  length: number;
  /** scipy's slot id per position: the row the cluster started from, or after a merge the larger child's slot. */
  readonly slot: Int32Array;
  /** Centroid per position, `columns` values each. */
  readonly centroid: Float64Array;
  /** Rows (or summed weights) per position; 0 once retired. */
  readonly size: Float64Array;
}

export interface WardNearest {
  position: number;
  /** |x|·|y|/(|x|+|y|)·‖c_x − c_y‖²; the merge height is √(2·criterion). */
  criterion: number;
}

/**
 * Ward's criterion between the clusters at positions x and y: the growth of
 * the within-cluster sum of squares if they merge. The same expression in the
 * same order whichever of the two asks, so "x's nearest is y and y's nearest
 * is x" is decided on bit-identical values.
 */
export function wardCriterion({ columns, centroid, size }: WardClusters, x: number, y: number): number {
  let sum = 0;
  for (let column = 0; column < columns; column++) {
    const difference = centroid[x * columns + column]! - centroid[y * columns + column]!;
    sum += difference * difference;
  }
  const sizeX = size[x]!;
  const sizeY = size[y]!;
  return ((sizeX * sizeY) / (sizeX + sizeY)) * sum;
}
