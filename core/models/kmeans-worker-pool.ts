import { availableParallelism } from 'node:os';
import type { FeatureMatrix } from './feature-matrix.js';
import {
  blockCount,
  partialLength,
  runBlockPass,
  type BlockPass,
  type ExactPass,
  type HamerlyPass,
  type KmeansRowState,
} from './kmeans-block-passes.js';
import { kmeansWorkers } from './kmeans-worker-threads.js';

/** A pass without its block range: the pool splits the blocks between its threads. */
export type PoolPass = Omit<HamerlyPass, 'firstBlock' | 'endBlock'> | Omit<ExactPass, 'firstBlock' | 'endBlock'>;

/**
 * Runs block passes over one matrix, on worker threads or on the calling
 * thread. The matrix and the per-row state (labels, Hamerly bounds) live in
 * SharedArrayBuffers, so an iteration sends only the k centres out and gets
 * k×(d+1) partial sums per block back: the 64 MB of a 1M×8 matrix is never
 * copied per iteration. One pool serves many runs (restarts, every k of a k
 * selection); the worker threads themselves outlive pools and are reused
 * warm (kmeans-worker-threads.ts).
 */
export interface KmeansPool {
  /** Worker threads; 0 = everything runs on the calling thread. */
  readonly threads: number;
  /** The calling thread's views of the shared per-row state. */
  readonly state: KmeansRowState;
  /** Partials of every block, in block order, whichever thread computed them. */
  run(pass: PoolPass): Promise<Float64Array>;
  close(): Promise<void>;
}

/**
 * Under this many rows the pool stays on the calling thread: a pass over a
 * few blocks takes less than a worker round trip (~0.1–0.3 ms) and far less
 * than starting the workers. Results do not depend on it (see BLOCK_ROWS).
 */
export const MIN_ROWS_FOR_WORKERS = 65_536;

/** @default min(available cores, number of blocks) */
export function defaultWorkerCount(rows: number): number {
  return rows < MIN_ROWS_FOR_WORKERS ? 0 : Math.min(availableParallelism(), blockCount(rows));
}

export function openKmeansPool(matrix: FeatureMatrix, requestedThreads = defaultWorkerCount(matrix.rows)): KmeansPool {
  const threads = Math.max(0, Math.min(Math.floor(requestedThreads), blockCount(matrix.rows)));
  if (threads === 0) return inThreadPool(matrix);
  return workerPool(matrix, threads);
}

function inThreadPool(matrix: FeatureMatrix): KmeansPool {
  const state: KmeansRowState = {
    rows: matrix.rows,
    columns: matrix.columns,
    data: matrix.data,
    labels: new Int32Array(matrix.rows),
    upper: new Float64Array(matrix.rows),
    lower: new Float64Array(matrix.rows),
  };
  const blocks = blockCount(matrix.rows);
  return {
    threads: 0,
    state,
    run: (pass) => Promise.resolve(runBlockPass(state, { ...pass, firstBlock: 0, endBlock: blocks } as BlockPass)),
    close: () => Promise.resolve(),
  };
}

let nextStateId = 0;

function workerPool(matrix: FeatureMatrix, threads: number): KmeansPool {
  const buffers = takeRowBuffers(matrix.rows);
  const state: KmeansRowState = {
    rows: matrix.rows,
    columns: matrix.columns,
    data: sharedData(matrix.data),
    labels: new Int32Array(buffers.labels, 0, matrix.rows),
    upper: new Float64Array(buffers.upper, 0, matrix.rows),
    lower: new Float64Array(buffers.lower, 0, matrix.rows),
  };
  const stateId = nextStateId++;
  const workers = kmeansWorkers(threads);
  for (const worker of workers) worker.send({ type: 'attach', stateId, state });
  const blocks = blockCount(matrix.rows);
  // Contiguous block ranges, one per worker; the split only decides who computes what.
  const ranges = workers.map((_, index) => [Math.floor((index * blocks) / threads), Math.floor(((index + 1) * blocks) / threads)] as const);
  let closed = false;

  return {
    threads,
    state,
    async run(pass) {
      if (closed) throw new Error('k-means pool used after close()');
      const stride = partialLength(pass, matrix.columns);
      const replies = await Promise.all(
        workers.map((worker, index) => {
          const [firstBlock, endBlock] = ranges[index]!;
          return worker.run(stateId, { ...pass, firstBlock, endBlock } as BlockPass);
        }),
      );
      const partials = new Float64Array(blocks * stride);
      replies.forEach((reply, index) => partials.set(reply, ranges[index]![0] * stride));
      return partials;
    },
    close() {
      // The workers stay (warm) for the next pool; they only let go of this matrix.
      if (!closed) {
        for (const worker of workers) worker.send({ type: 'detach', stateId });
        returnRowBuffers(buffers);
      }
      closed = true;
      return Promise.resolve();
    },
  };
}

/**
 * Shared buffers outlive their pool in the idle workers until those run a
 * garbage collection, which idle workers rarely do: a fresh 20 MB of row
 * state (1M rows) or a fresh 64 MB copy of the data per kmeans() call would
 * pile up. So the last pool's row buffers are kept for the next one (the
 * largest set seen, one set at a time). Data is another matter: callers that
 * fit the same large matrix repeatedly should build it over a
 * SharedArrayBuffer (as bench/kmeans does), since a copy of a plain array
 * cannot be cached safely (the caller may change the array in place).
 */
interface RowBuffers {
  rows: number;
  labels: SharedArrayBuffer;
  upper: SharedArrayBuffer;
  lower: SharedArrayBuffer;
}

let spareRowBuffers: RowBuffers | undefined;

function takeRowBuffers(rows: number): RowBuffers {
  if (spareRowBuffers && spareRowBuffers.rows >= rows) {
    const spare = spareRowBuffers;
    spareRowBuffers = undefined;
    return spare;
  }
  return {
    rows,
    labels: new SharedArrayBuffer(rows * Int32Array.BYTES_PER_ELEMENT),
    upper: new SharedArrayBuffer(rows * Float64Array.BYTES_PER_ELEMENT),
    lower: new SharedArrayBuffer(rows * Float64Array.BYTES_PER_ELEMENT),
  };
}

function returnRowBuffers(buffers: RowBuffers): void {
  if (!spareRowBuffers || buffers.rows > spareRowBuffers.rows) spareRowBuffers = buffers;
}

/** The matrix's data over a SharedArrayBuffer: the same array if it already is, else one copy per pool. */
function sharedData(data: Float64Array): Float64Array {
  if (data.buffer instanceof SharedArrayBuffer) return data;
  const shared = new Float64Array(new SharedArrayBuffer(data.byteLength));
  shared.set(data);
  return shared;
}
