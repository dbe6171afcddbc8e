/**
 * Worker-thread entry for the k-means workers (kmeans-worker-threads.ts).
 * It keeps views of the shared matrices and per-row states it is attached
 * to, runs the block passes it is sent and transfers the small partials back
 * (no copy).
 */
import { parentPort } from 'node:worker_threads';
import { runBlockPass, type KmeansRowState } from './kmeans-block-passes.js';
import type { WorkerReply, WorkerRequest } from './kmeans-worker-threads.js';

const port = parentPort;
if (!port) throw new Error('kmeans-worker.ts must run as a worker thread');
const states = new Map<number, KmeansRowState>();

port.on('message', (message: WorkerRequest) => {
  if (message.type === 'attach') states.set(message.stateId, message.state);
  else if (message.type === 'detach') states.delete(message.stateId);
  else {
    try {
      const state = states.get(message.stateId);
      if (!state) throw new Error(`no k-means state ${message.stateId} attached`);
      const partials = runBlockPass(state, message.pass);
      port.postMessage({ requestId: message.requestId, partials } satisfies WorkerReply, [partials.buffer]);
    } catch (error) {
      port.postMessage({ requestId: message.requestId, error: error instanceof Error ? error.message : String(error) } satisfies WorkerReply);
    }
  }
});
