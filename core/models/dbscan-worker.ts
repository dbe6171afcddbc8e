/**
 * Worker-thread entry for DBSCAN's parallel passes (dbscan-worker-threads.ts):
 * takes chunks of tree positions off the shared cursor until none is left and
 * writes flags straight into the shared arrays.
 */
import { parentPort } from 'node:worker_threads';
import { runDbscanPassChunks } from './dbscan-pass-chunks.js';
import type { DbscanWorkerReply, DbscanWorkerRequest } from './dbscan-worker-threads.js';

const port = parentPort;
if (!port) throw new Error('dbscan-worker.ts must run as a worker thread');

port.on('message', ({ requestId, job: pass }: DbscanWorkerRequest) => {
  try {
    runDbscanPassChunks(pass);
    port.postMessage({ requestId } satisfies DbscanWorkerReply);
  } catch (error) {
    port.postMessage({ requestId, error: error instanceof Error ? error.message : String(error) } satisfies DbscanWorkerReply);
  }
});
