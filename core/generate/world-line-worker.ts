/**
 * Worker-thread entry for world-line-stream.ts: resolves the world once
 * (catalog, persona sequence) from workerData, then makes each chunk it is
 * asked for, in the order asked.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { resolveWorld } from './retail-world.js';
import { makeChunk, transferables, type ChunkReply, type ChunkRequest, type WorkerSetup } from './world-line-stream.js';

const port = parentPort;
if (!port) throw new Error('world-line-worker.ts must run as a worker thread');
const setup = workerData as WorkerSetup;
const world = resolveWorld(setup.options);

port.on('message', (request: ChunkRequest) => {
  try {
    const chunk = makeChunk(world, setup.form, request.firstUser, request.users);
    port.postMessage({ requestId: request.requestId, chunk } satisfies ChunkReply, transferables(chunk));
  } catch (error) {
    port.postMessage({ requestId: request.requestId, error: error instanceof Error ? error.message : String(error) } satisfies ChunkReply);
  }
});
