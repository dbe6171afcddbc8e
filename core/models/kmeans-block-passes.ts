/**
 * The per-row work of k-means, cut into fixed blocks of BLOCK_ROWS rows.
 *
 * Why fixed blocks: every block is processed in row order and produces its
 * own partial sums; the caller adds the partials in block order. Which thread
 * ran a block therefore cannot change a single bit of the result, so k-means
 * is deterministic for a seed whatever the worker count (0, 1 or 2 threads
 * give identical centroids, labels and inertia). Changing BLOCK_ROWS changes
 * the floating-point summation order, so it is a constant, not an option.
 *
 * These functions run both on the calling thread and inside kmeans-worker.ts;
 * they read and write the shared arrays in place and return only small
 * per-block partials.
 */
export const BLOCK_ROWS = 16_384;

export function blockCount(rows: number): number {
  return Math.ceil(rows / BLOCK_ROWS);
}

/** Row-major data plus the per-row state of one k-means run, all over SharedArrayBuffers in the pool. */
export interface KmeansRowState {
  rows: number;
  columns: number;
  data: Float64Array;
  labels: Int32Array;
  /** Hamerly upper bound: ≥ distance to the assigned centre. */
  upper: Float64Array;
  /** Hamerly lower bound: ≤ distance to the second-nearest centre. */
  lower: Float64Array;
}

/**
 * One Hamerly assignment step with the centres `centres`, plus the partial
 * sums the update step needs. `shift === undefined` is the first step: all
 * distances are computed and the bounds initialised.
 */
export interface HamerlyPass {
  kind: 'hamerly';
  k: number;
  centres: Float64Array;
  /** s(j): half the distance from centre j to its nearest other centre. */
  halfNearestCentre: Float64Array;
  /** How far each centre moved since the previous step. */
  shift?: Float64Array;
  /** The centre that moved most, and the largest and second-largest moves (lower-bound update). */
  largestShiftCentre?: number;
  largestShift?: number;
  secondLargestShift?: number;
  firstBlock: number;
  endBlock: number;
}

/**
 * Exact nearest-centre assignment, final labels and inertia, from distances
 * computed in this pass only (Hamerly's carried bounds are not used).
 * `fromLabels`: the current labels are a good guess (the end of a k-means
 * run); a row whose exact distance d to its labelled centre c is under half
 * the distance from c to every other centre keeps c without scanning the
 * others. The triangle inequality makes that a proof, not an estimate: any
 * other centre c′ is at least ‖c − c′‖ − d > d away.
 */
export interface ExactPass {
  kind: 'exact';
  k: number;
  centres: Float64Array;
  fromLabels: boolean;
  firstBlock: number;
  endBlock: number;
}

export type BlockPass = HamerlyPass | ExactPass;

/** Floats each block returns: Hamerly = k×d sums, k counts, changed labels; exact = k counts, inertia. */
export function partialLength(pass: Pick<BlockPass, 'kind' | 'k'>, columns: number): number {
  return pass.kind === 'hamerly' ? pass.k * columns + pass.k + 1 : pass.k + 1;
}

/** Runs `pass` over its blocks; returns the blocks' partials back to back. */
export function runBlockPass(state: KmeansRowState, pass: BlockPass): Float64Array<ArrayBuffer> {
  const stride = partialLength(pass, state.columns);
  const partials = new Float64Array((pass.endBlock - pass.firstBlock) * stride);
  const scan = centreScan(pass.centres, pass.k, state.columns);
  for (let block = pass.firstBlock; block < pass.endBlock; block++) {
    const start = block * BLOCK_ROWS;
    const end = Math.min(state.rows, start + BLOCK_ROWS);
    const offset = (block - pass.firstBlock) * stride;
    if (pass.kind === 'exact') exactBlock(state, pass, scan, start, end, partials, offset);
    else if (pass.shift === undefined) initialHamerlyBlock(state, pass, scan, start, end, partials, offset);
    else hamerlyBlock(state, pass, pass.shift, scan, start, end, partials, offset);
  }
  return partials;
}

/**
 * The centres laid out for scanning one row against all of them: transposed
 * (column-major) and padded with NaN to a multiple of 4, so the scan keeps
 * one row value and four running sums in registers. Measured on 1M×8, k = 8:
 * half the CPU time of the row-by-centre loop. Each distance is still summed
 * column by column in order, so the values are bit-identical to the plain
 * loop's. A NaN distance never compares `<`, so padding is never chosen.
 */
interface CentreScan {
  transposed: Float64Array;
  paddedK: number;
  columns: number;
  /** Scratch: [nearest squared distance, second-nearest squared distance]. */
  nearest: Float64Array;
}

function centreScan(centres: Float64Array, k: number, columns: number): CentreScan {
  const paddedK = Math.ceil(k / 4) * 4;
  const transposed = new Float64Array(columns * paddedK).fill(Number.NaN);
  for (let centre = 0; centre < k; centre++) {
    for (let column = 0; column < columns; column++) transposed[column * paddedK + centre] = centres[centre * columns + column]!;
  }
  return { transposed, paddedK, columns, nearest: new Float64Array(2) };
}

/** Index of the nearest centre; its squared distance and the second-nearest's go to scan.nearest. */
function scanCentres(data: Float64Array, rowOffset: number, scan: CentreScan): number {
  const { transposed, paddedK, columns, nearest } = scan;
  let best = 0;
  let bestDistance = Infinity;
  let secondDistance = Infinity;
  for (let group = 0; group < paddedK; group += 4) {
    let sum0 = 0;
    let sum1 = 0;
    let sum2 = 0;
    let sum3 = 0;
    for (let column = 0; column < columns; column++) {
      const value = data[rowOffset + column]!;
      const at = column * paddedK + group;
      const difference0 = value - transposed[at]!;
      const difference1 = value - transposed[at + 1]!;
      const difference2 = value - transposed[at + 2]!;
      const difference3 = value - transposed[at + 3]!;
      sum0 += difference0 * difference0;
      sum1 += difference1 * difference1;
      sum2 += difference2 * difference2;
      sum3 += difference3 * difference3;
    }
    // Strict `<` in centre order: ties go to the lower centre index, as in sklearn.
    if (sum0 < bestDistance) {
      secondDistance = bestDistance;
      bestDistance = sum0;
      best = group;
    } else if (sum0 < secondDistance) secondDistance = sum0;
    if (sum1 < bestDistance) {
      secondDistance = bestDistance;
      bestDistance = sum1;
      best = group + 1;
    } else if (sum1 < secondDistance) secondDistance = sum1;
    if (sum2 < bestDistance) {
      secondDistance = bestDistance;
      bestDistance = sum2;
      best = group + 2;
    } else if (sum2 < secondDistance) secondDistance = sum2;
    if (sum3 < bestDistance) {
      secondDistance = bestDistance;
      bestDistance = sum3;
      best = group + 3;
    } else if (sum3 < secondDistance) secondDistance = sum3;
  }
  nearest[0] = bestDistance;
  nearest[1] = secondDistance;
  return best;
}

/** 1 + 1e-9: the proof's inequality must hold with room to spare for rounding in the squared distances. */
const PROOF_MARGIN = 1 + 1e-9;

function exactBlock(state: KmeansRowState, pass: ExactPass, scan: CentreScan, start: number, end: number, out: Float64Array, offset: number): void {
  const { columns, data, labels } = state;
  const { k, centres, fromLabels } = pass;
  const nearestOther = fromLabels ? nearestOtherCentreSquared(centres, k, columns) : undefined;
  let inertia = 0;
  for (let row = start; row < end; row++) {
    const rowOffset = row * columns;
    let best: number;
    let bestDistance: number;
    const guess = labels[row]!;
    const guessDistance = nearestOther ? squaredDistance(data, rowOffset, centres, guess * columns, columns) : Infinity;
    if (nearestOther && 4 * guessDistance * PROOF_MARGIN < nearestOther[guess]!) {
      best = guess;
      bestDistance = guessDistance;
    } else {
      best = scanCentres(data, rowOffset, scan);
      bestDistance = scan.nearest[0]!;
    }
    labels[row] = best;
    out[offset + best] += 1;
    inertia += bestDistance;
  }
  out[offset + k] = inertia;
}

/** min over other centres of ‖c_j − c_j′‖², per centre. */
function nearestOtherCentreSquared(centres: Float64Array, k: number, columns: number): Float64Array {
  const nearest = new Float64Array(k).fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      if (a === b) continue;
      nearest[a] = Math.min(nearest[a]!, squaredDistance(centres, a * columns, centres, b * columns, columns));
    }
  }
  return nearest;
}

function initialHamerlyBlock(
  state: KmeansRowState,
  pass: HamerlyPass,
  scan: CentreScan,
  start: number,
  end: number,
  out: Float64Array,
  offset: number,
): void {
  const { columns, data, labels, upper, lower } = state;
  const countsOffset = offset + pass.k * columns;
  for (let row = start; row < end; row++) {
    const rowOffset = row * columns;
    const best = scanCentres(data, rowOffset, scan);
    labels[row] = best;
    upper[row] = Math.sqrt(scan.nearest[0]!);
    lower[row] = Math.sqrt(scan.nearest[1]!);
    addRow(data, rowOffset, out, offset + best * columns, columns);
    out[countsOffset + best] += 1;
  }
  // No previous labels to compare with: every row counts as changed (sklearn starts labels_old at -1).
  out[countsOffset + pass.k] = end - start;
}

/**
 * Hamerly (2010): a row keeps its centre when its upper bound is below both
 * s(label) and its lower bound, which after the first few iterations is true
 * for almost every row, so the k distance computations are skipped.
 */
function hamerlyBlock(
  state: KmeansRowState,
  pass: HamerlyPass,
  shift: Float64Array,
  scan: CentreScan,
  start: number,
  end: number,
  out: Float64Array,
  offset: number,
): void {
  const { columns, data, labels, upper, lower } = state;
  const { k, centres, halfNearestCentre } = pass;
  const largestShiftCentre = pass.largestShiftCentre ?? -1;
  const largestShift = pass.largestShift ?? 0;
  const secondLargestShift = pass.secondLargestShift ?? 0;
  const countsOffset = offset + k * columns;
  let changed = 0;
  for (let row = start; row < end; row++) {
    const rowOffset = row * columns;
    let label = labels[row]!;
    let upperBound = upper[row]! + shift[label]!;
    let lowerBound = lower[row]! - (label === largestShiftCentre ? secondLargestShift : largestShift);
    const keepBound = Math.max(halfNearestCentre[label]!, lowerBound);
    if (upperBound > keepBound) {
      upperBound = Math.sqrt(squaredDistance(data, rowOffset, centres, label * columns, columns));
      if (upperBound > keepBound) {
        const best = scanCentres(data, rowOffset, scan);
        if (best !== label) {
          changed++;
          labels[row] = best;
          label = best;
        }
        upperBound = Math.sqrt(scan.nearest[0]!);
        lowerBound = Math.sqrt(scan.nearest[1]!);
      }
    }
    upper[row] = upperBound;
    lower[row] = lowerBound;
    addRow(data, rowOffset, out, offset + label * columns, columns);
    out[countsOffset + label] += 1;
  }
  out[countsOffset + k] = changed;
}

function squaredDistance(data: Float64Array, rowOffset: number, centres: Float64Array, centreOffset: number, columns: number): number {
  let sum = 0;
  for (let column = 0; column < columns; column++) {
    const difference = data[rowOffset + column]! - centres[centreOffset + column]!;
    sum += difference * difference;
  }
  return sum;
}

function addRow(data: Float64Array, rowOffset: number, sums: Float64Array, sumOffset: number, columns: number): void {
  for (let column = 0; column < columns; column++) sums[sumOffset + column] += data[rowOffset + column]!;
}
