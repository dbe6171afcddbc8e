/**
 * The process's silhouette worker threads, started on first use and kept warm
 * for the next score (a k selection scores one per k; the same reasoning as
 * kmeans-worker-threads.ts: ~40 ms to start one, and a cold worker runs its
 * first tiles unoptimised). Unref'd while idle so they never keep the
 * process alive.
 */
import { warmWorkerPool } from './warm-worker-pool.js';
import type { SilhouetteTileJob } from './silhouette-tiles.js';

export interface SilhouetteWorkerRequest {
  requestId: number;
  job: SilhouetteTileJob;
}

export type { WorkerReply as SilhouetteWorkerReply } from './warm-worker-pool.js';

const pool = warmWorkerPool<SilhouetteTileJob>('silhouette', new URL('./silhouette-worker', import.meta.url), import.meta.url.endsWith('.ts'));

/** `count` workers, starting the missing ones; the same ones on every call. */
export const silhouetteWorkers = (count: number) => pool.workers(count);
/** Stops every worker (tests; a process exits without it). */
export const stopSilhouetteWorkers = () => pool.stop();
