import { relocateEmptyClusters } from './kmeans-empty-clusters.js';
import type { KmeansPool } from './kmeans-worker-pool.js';

export interface SingleRunOptions {
  maxIter: number;
  /** Absolute tolerance on the total squared centre shift (already scaled by the data's variance). */
  tolerance: number;
}

export interface SingleRunResult {
  centroids: Float64Array;
  /** Exact labels, left in the pool's shared `state.labels` (the caller copies them if it keeps this run). */
  inertia: number;
  iterations: number;
  /** Clusters given a new centre because they emptied, over all iterations. */
  relocations: number;
}

/**
 * One k-means run from the given centres: Lloyd's algorithm with Hamerly's
 * bounds, stopped the way scikit-learn's `_kmeans_single_lloyd` stops it:
 * labels unchanged between two steps ("strict convergence"), or the total
 * squared centre shift ≤ tolerance, or maxIter steps. Then one exact pass
 * assigns every row to its nearest final centre and sums the inertia from
 * distances computed in that pass, never from the bounds (see ExactPass).
 */
export async function runHamerly(pool: KmeansPool, initialCentres: Float64Array, options: SingleRunOptions): Promise<SingleRunResult> {
  const { columns } = pool.state;
  const k = initialCentres.length / columns;
  let centres: Float64Array = Float64Array.from(initialCentres);
  let shift: Float64Array | undefined;
  let iterations = 0;
  let relocations = 0;

  for (let iteration = 0; iteration < options.maxIter; iteration++) {
    const partials = await pool.run({
      kind: 'hamerly',
      k,
      centres,
      halfNearestCentre: halfNearestCentreDistances(centres, k, columns),
      ...shiftSummary(shift),
    });
    const { sums, counts, changed } = reduceHamerlyPartials(partials, k, columns);
    const relocated = relocateEmptyClusters(pool.state, centres, sums, counts);
    relocations += relocated;
    const next = divideSums(sums, counts, k, columns);
    iterations = iteration + 1;
    if (iteration > 0 && changed === 0 && relocated === 0) {
      // Same labels as the step before: the new centres are the old ones, bit for bit.
      centres = next;
      break;
    }
    shift = new Float64Array(k);
    let totalSquaredShift = 0;
    for (let centre = 0; centre < k; centre++) {
      let squared = 0;
      for (let column = 0; column < columns; column++) {
        const difference = next[centre * columns + column]! - centres[centre * columns + column]!;
        squared += difference * difference;
      }
      totalSquaredShift += squared;
      shift[centre] = Math.sqrt(squared);
    }
    centres = next;
    if (totalSquaredShift <= options.tolerance) break;
  }

  const exact = await pool.run({ kind: 'exact', k, centres, fromLabels: true });
  let inertia = 0;
  for (let offset = k; offset < exact.length; offset += k + 1) inertia += exact[offset]!;
  return { centroids: centres, inertia, iterations, relocations };
}

/** s(j) = ½ min over other centres of ‖c_j − c_j'‖: a row nearer than s(j) to c_j cannot be nearer to another centre. */
export function halfNearestCentreDistances(centres: Float64Array, k: number, columns: number): Float64Array {
  const half = new Float64Array(k).fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let squared = 0;
      for (let column = 0; column < columns; column++) {
        const difference = centres[a * columns + column]! - centres[b * columns + column]!;
        squared += difference * difference;
      }
      const distance = Math.sqrt(squared) / 2;
      if (distance < half[a]!) half[a] = distance;
      if (distance < half[b]!) half[b] = distance;
    }
  }
  return half;
}

function shiftSummary(shift: Float64Array | undefined): {
  shift?: Float64Array;
  largestShiftCentre?: number;
  largestShift?: number;
  secondLargestShift?: number;
} {
  if (!shift) return {};
  let largestShiftCentre = 0;
  let largestShift = -Infinity;
  let secondLargestShift = 0;
  for (let centre = 0; centre < shift.length; centre++) {
    const value = shift[centre]!;
    if (value > largestShift) {
      secondLargestShift = Math.max(secondLargestShift, largestShift);
      largestShift = value;
      largestShiftCentre = centre;
    } else if (value > secondLargestShift) {
      secondLargestShift = value;
    }
  }
  return { shift, largestShiftCentre, largestShift, secondLargestShift };
}

/** Adds the blocks' partials in block order (the order that makes results independent of the thread count). */
function reduceHamerlyPartials(partials: Float64Array, k: number, columns: number): { sums: Float64Array; counts: Float64Array; changed: number } {
  const sumLength = k * columns;
  const stride = sumLength + k + 1;
  const sums = new Float64Array(sumLength);
  const counts = new Float64Array(k);
  let changed = 0;
  for (let offset = 0; offset < partials.length; offset += stride) {
    for (let index = 0; index < sumLength; index++) sums[index] += partials[offset + index]!;
    for (let centre = 0; centre < k; centre++) counts[centre] += partials[offset + sumLength + centre]!;
    changed += partials[offset + sumLength + k]!;
  }
  return { sums, counts, changed };
}

function divideSums(sums: Float64Array, counts: Float64Array, k: number, columns: number): Float64Array {
  const centres = new Float64Array(k * columns);
  for (let centre = 0; centre < k; centre++) {
    const count = counts[centre]!;
    for (let column = 0; column < columns; column++) centres[centre * columns + column] = sums[centre * columns + column]! / count;
  }
  return centres;
}
