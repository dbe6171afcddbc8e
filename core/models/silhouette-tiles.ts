/**
 * The silhouette's O(n²) part, Σ distance(i, j) per row i and cluster of j,
 * cut into tiles that any number of threads can share with the same result
 * to the last bit. The rows are split into blocks whose size depends only on
 * the row count; tile (p, q), p ≤ q, computes each pair of its two blocks
 * once and adds it to both rows (half the work of a full matrix), writing
 * row i's sums over block q into its own slot partials[q, i, ·]. No two tiles
 * write the same slot, and each slot receives its terms in increasing j, so
 * a slot's value does not depend on which thread ran the tile or when; the
 * caller then adds a row's slots in block order. One thread or many, the
 * sums are the same.
 */

/** Blocks per side at most (tiles ≈ blocks² / 2): enough to balance two or more threads, few enough that the slots stay small (rows × 16 × clusters values). */
const MAX_BLOCKS = 16;
/** A tile under this many rows a side costs less than fetching it. */
const MIN_BLOCK_ROWS = 256;

export interface SilhouetteTileLayout {
  blockRows: number;
  blocks: number;
  tiles: number;
}

/** The layout for `rows` rows: a function of the row count alone, never of the thread count. */
export function silhouetteTileLayout(rows: number): SilhouetteTileLayout {
  const blockRows = Math.max(MIN_BLOCK_ROWS, Math.ceil(rows / MAX_BLOCKS));
  const blocks = Math.max(1, Math.ceil(rows / blockRows));
  return { blockRows, blocks, tiles: (blocks * (blocks + 1)) / 2 };
}

/** What every thread reads (and writes into `partials`); over SharedArrayBuffers when workers take part. */
export interface SilhouetteTileJob {
  rows: number;
  columns: number;
  clusters: number;
  /** The rows column-major (columns × rows), so four rows j are read side by side. */
  byColumn: Float64Array;
  /** Cluster code (0..clusters−1) of every row. */
  codes: Int32Array;
  blockRows: number;
  blocks: number;
  /** blocks × rows × clusters: partials[(q × rows + i) × clusters + c] = Σ distance(i, j), j in block q and cluster c (block-major, so a tile writes two contiguous runs). */
  partials: Float64Array;
  /** Next tile to take (Atomics.add). */
  cursor: Int32Array;
}

/** Takes tiles off the job's cursor until none is left; any thread, any number at once. */
export function runSilhouetteTiles(job: SilhouetteTileJob): void {
  const tiles = (job.blocks * (job.blocks + 1)) / 2;
  for (;;) {
    const tile = Atomics.add(job.cursor, 0, 1);
    if (tile >= tiles) return;
    const [p, q] = tileBlocks(tile, job.blocks);
    runTile(job, p, q);
  }
}

/** Row i's sums per cluster: its slots added in block order (the same order whatever ran the tiles). */
export function sumSlots(job: Pick<SilhouetteTileJob, 'rows' | 'blocks' | 'clusters' | 'partials'>): Float64Array {
  const { rows, blocks, clusters, partials } = job;
  const sums = new Float64Array(rows * clusters);
  for (let row = 0; row < rows; row++) {
    for (let block = 0; block < blocks; block++) {
      const slot = (block * rows + row) * clusters;
      for (let cluster = 0; cluster < clusters; cluster++) sums[row * clusters + cluster] += partials[slot + cluster]!;
    }
  }
  return sums;
}

/** Tile index → (p, q), p ≤ q, in row order: (0,0), (0,1) … (0,b−1), (1,1) … */
function tileBlocks(tile: number, blocks: number): [number, number] {
  let p = 0;
  let rest = tile;
  while (rest >= blocks - p) {
    rest -= blocks - p;
    p += 1;
  }
  return [p, p + rest];
}

/**
 * Every pair (i in block p, j in block q, i < j): adds distance(i, j) to
 * row i's slot q under j's cluster and to row j's slot p under i's cluster.
 * Rows j are taken four at a time so row i's value and four running sums
 * stay in registers; each distance is still summed column by column.
 */
function runTile(job: SilhouetteTileJob, p: number, q: number): void {
  const { rows, columns, clusters, byColumn, codes, blockRows, partials } = job;
  const iEnd = Math.min(rows, (p + 1) * blockRows);
  const jEnd = Math.min(rows, (q + 1) * blockRows);
  const add = (iSlot: number, iCluster: number, j: number, distance: number): void => {
    partials[iSlot + codes[j]!] += distance;
    partials[(p * rows + j) * clusters + iCluster] += distance;
  };
  for (let i = p * blockRows; i < iEnd; i++) {
    const iSlot = (q * rows + i) * clusters;
    const iCluster = codes[i]!;
    let j = p === q ? i + 1 : q * blockRows;
    for (; j + 3 < jEnd; j += 4) {
      let sum0 = 0;
      let sum1 = 0;
      let sum2 = 0;
      let sum3 = 0;
      for (let column = 0; column < columns; column++) {
        const at = column * rows;
        const value = byColumn[at + i]!;
        const difference0 = value - byColumn[at + j]!;
        const difference1 = value - byColumn[at + j + 1]!;
        const difference2 = value - byColumn[at + j + 2]!;
        const difference3 = value - byColumn[at + j + 3]!;
        sum0 += difference0 * difference0;
        sum1 += difference1 * difference1;
        sum2 += difference2 * difference2;
        sum3 += difference3 * difference3;
      }
      add(iSlot, iCluster, j, Math.sqrt(sum0));
      add(iSlot, iCluster, j + 1, Math.sqrt(sum1));
      add(iSlot, iCluster, j + 2, Math.sqrt(sum2));
      add(iSlot, iCluster, j + 3, Math.sqrt(sum3));
    }
    for (; j < jEnd; j++) {
      let sum = 0;
      for (let column = 0; column < columns; column++) {
        const difference = byColumn[column * rows + i]! - byColumn[column * rows + j]!;
        sum += difference * difference;
      }
      add(iSlot, iCluster, j, Math.sqrt(sum));
    }
  }
}
