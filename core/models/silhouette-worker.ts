/**
 * Worker-thread entry for the silhouette's tiles (silhouette-worker-threads.ts):
 * takes tiles off the shared cursor until none is left and writes its slots
 * straight into the shared partials.
 */
import { parentPort } from 'node:worker_threads';
import { runSilhouetteTiles } from './silhouette-tiles.js';
import type { SilhouetteWorkerReply, SilhouetteWorkerRequest } from './silhouette-worker-threads.js';

const port = parentPort;
if (!port) throw new Error('silhouette-worker.ts must run as a worker thread');

port.on('message', ({ requestId, job }: SilhouetteWorkerRequest) => {
  try {
    runSilhouetteTiles(job);
    port.postMessage({ requestId } satisfies SilhouetteWorkerReply);
  } catch (error) {
    port.postMessage({ requestId, error: error instanceof Error ? error.message : String(error) } satisfies SilhouetteWorkerReply);
  }
});
