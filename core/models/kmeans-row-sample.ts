import type { Rng } from '../random/rng.js';
import type { FeatureMatrix } from './feature-matrix.js';

/**
 * `size` distinct row indices out of `rows`, uniformly, in ascending order.
 * Draws rows with replacement until `size` distinct ones are marked in a
 * byte map, then reads the map in order: by symmetry every subset of that
 * size is equally likely, there is no hashing (a Map of 32k entries costs
 * more than the draws), and the result comes out sorted, which keeps the
 * later row copies cache-friendly. Costs `rows` bytes for the map.
 */
export function sampleRowIndices(rows: number, size: number, rng: Rng): Int32Array {
  if (size >= rows) return Int32Array.from({ length: rows }, (_, index) => index);
  const marked = new Uint8Array(rows);
  let picked = 0;
  while (picked < size) {
    const row = rng.int(rows);
    if (marked[row] === 0) {
      marked[row] = 1;
      picked++;
    }
  }
  const indices = new Int32Array(size);
  let next = 0;
  for (let row = 0; row < rows; row++) if (marked[row] === 1) indices[next++] = row;
  return indices;
}

/** The given rows copied into a new compact matrix (the sample k-means++ and silhouette work on). */
export function copyRows(matrix: FeatureMatrix, rowIndices: Int32Array): FeatureMatrix {
  const { columns, data } = matrix;
  const out = new Float64Array(rowIndices.length * columns);
  for (let index = 0; index < rowIndices.length; index++) {
    const from = rowIndices[index]! * columns;
    const to = index * columns;
    for (let column = 0; column < columns; column++) out[to + column] = data[from + column]!;
  }
  return { rows: rowIndices.length, columns, data: out };
}
