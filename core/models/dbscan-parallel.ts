import { availableParallelism } from 'node:os';
import { checkDbscanOptions, growClusters, summarize, type DbscanOptions, type DbscanResult } from './dbscan.js';
import { lowestCoreLabels } from './dbscan-border.js';
import { runDbscanPassChunks } from './dbscan-pass-chunks.js';
import { dbscanWorkers, type DbscanPass } from './dbscan-worker-threads.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { buildKdTree, type KdTree } from './kd-tree.js';

/**
 * dbscan() with its two read-only passes, which points are core (the
 * neighbour counting) and which cluster each border point joins, shared
 * between worker threads and the calling thread; the growth of clusters over
 * core points between them is sequential, as sklearn's is. The labels are the
 * same as dbscan()'s whatever the thread count: a core flag depends only on
 * the tree, a border label only on the core labels, and growth reads the
 * flags in row order.
 */
export interface ParallelDbscanOptions extends DbscanOptions {
  /** Worker threads besides the calling thread, which takes chunks too. @default available cores − 1 (0 under MIN_ROWS_FOR_DBSCAN_WORKERS rows) */
  workers?: number;
}

/** Below this, a pass takes less time than starting and feeding workers. */
export const MIN_ROWS_FOR_DBSCAN_WORKERS = 50_000;

/** Positions per chunk: small enough to balance dense and sparse regions, large enough that the shared cursor is not contended. */
const CHUNK = 2048;

export async function dbscanParallel(matrix: FeatureMatrix, options: ParallelDbscanOptions): Promise<DbscanResult> {
  const { eps, minSamples } = checkDbscanOptions(options);
  const workerCount = Math.max(0, Math.floor(options.workers ?? (matrix.rows < MIN_ROWS_FOR_DBSCAN_WORKERS ? 0 : availableParallelism() - 1)));
  const tree = workerCount > 0 ? shareTree(buildKdTree(matrix)) : buildKdTree(matrix);
  const core = sharedBytes(matrix.rows, workerCount);
  await runPass(workerCount, { kind: 'core', tree, eps, minSamples, core, cursor: sharedCursor(), chunk: CHUNK });
  const { labels, clusters } = growClusters(tree, matrix, eps, core, sharedInt32(matrix.rows, workerCount));
  const nodeMinLabel = lowestCoreLabels(tree, core, labels, sharedInt32(tree.nodeStart.length, workerCount));
  await runPass(workerCount, { kind: 'border', tree, eps, core, labels, nodeMinLabel, cursor: sharedCursor(), chunk: CHUNK });
  // The result should not pin SharedArrayBuffers the caller never asked for.
  return summarize(workerCount > 0 ? Int32Array.from(labels) : labels, workerCount > 0 ? Uint8Array.from(core) : core, clusters);
}

async function runPass(workerCount: number, pass: DbscanPass): Promise<void> {
  // Atomic accesses to the cursor on both sides of the pass order the plain
  // writes to the shared arrays: what this thread wrote before (core labels)
  // is seen by the workers' first Atomics.add, and what they wrote is seen
  // after the load below, whatever postMessage happens to guarantee.
  Atomics.store(pass.cursor, 0, 0);
  const running = dbscanWorkers(workerCount).map((worker) => worker.run(pass));
  // The calling thread takes chunks too, while the workers do. A worker that
  // fails may have dropped a chunk half done, so its error fails the call.
  runDbscanPassChunks(pass);
  await Promise.all(running);
  Atomics.load(pass.cursor, 0);
}

function sharedCursor(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

function sharedBytes(length: number, workerCount: number): Uint8Array {
  return workerCount > 0 ? new Uint8Array(new SharedArrayBuffer(length)) : new Uint8Array(length);
}

function sharedInt32(length: number, workerCount: number): Int32Array {
  return workerCount > 0 ? new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT)) : new Int32Array(length);
}

function share<T extends Int32Array | Float64Array | Uint8Array>(array: T): T {
  const Constructor = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const shared = new Constructor(new SharedArrayBuffer(array.byteLength));
  shared.set(array);
  return shared;
}

/** One copy of the tree into shared memory (~72 MB at 1M × 8), read by every thread without further copies. */
function shareTree(tree: KdTree): KdTree {
  return {
    columns: tree.columns,
    order: share(tree.order),
    points: share(tree.points),
    nodeStart: share(tree.nodeStart),
    nodeEnd: share(tree.nodeEnd),
    nodeLeft: share(tree.nodeLeft),
    nodeRight: share(tree.nodeRight),
    nodeParent: share(tree.nodeParent),
    boxLow: share(tree.boxLow),
    boxHigh: share(tree.boxHigh),
  };
}
