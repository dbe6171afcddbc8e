/**
 * The process's DBSCAN worker threads, started on first use and kept warm for
 * the next run (the same reasoning as kmeans-worker-threads.ts: ~40 ms to
 * start one, and a cold worker runs its first queries unoptimised). Unref'd
 * while idle so they never keep the process alive.
 */
import { warmWorkerPool } from './warm-worker-pool.js';
import type { KdTree } from './kd-tree.js';

/**
 * One pass over the tree positions, shared out in chunks: each thread takes
 * the next chunk from `cursor` (Atomics.add) until none is left, so a thread
 * that drew dense, expensive regions does not hold the others up. Every array
 * is a view of a SharedArrayBuffer; posting it shares the memory.
 */
export type DbscanPass =
  | { kind: 'core'; tree: KdTree; eps: number; minSamples: number; core: Uint8Array; cursor: Int32Array; chunk: number }
  | { kind: 'border'; tree: KdTree; eps: number; core: Uint8Array; labels: Int32Array; nodeMinLabel: Int32Array; cursor: Int32Array; chunk: number };

export interface DbscanWorkerRequest {
  requestId: number;
  job: DbscanPass;
}

export type { WorkerReply as DbscanWorkerReply } from './warm-worker-pool.js';

const pool = warmWorkerPool<DbscanPass>('DBSCAN', new URL('./dbscan-worker', import.meta.url), import.meta.url.endsWith('.ts'));

/** `count` workers, starting the missing ones; the same ones on every call. */
export const dbscanWorkers = (count: number) => pool.workers(count);
/** Stops every worker (tests; a process exits without it). */
export const stopDbscanWorkers = () => pool.stop();
