/**
 * The process's DBSCAN worker threads, started on first use and kept warm for
 * the next run (the same reasoning as kmeans-worker-threads.ts: ~40 ms to
 * start one, and a cold worker runs its first queries unoptimised). Unref'd
 * while idle so they never keep the process alive.
 */
import { Worker } from 'node:worker_threads';
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
  pass: DbscanPass;
}

export interface DbscanWorkerReply {
  requestId: number;
  error?: string;
}

interface DbscanWorker {
  run(pass: DbscanPass): Promise<void>;
  stop(): Promise<number>;
}

const started: DbscanWorker[] = [];
let nextRequestId = 0;

/** `count` workers, starting the missing ones; the same ones on every call. */
export function dbscanWorkers(count: number): Pick<DbscanWorker, 'run'>[] {
  while (started.length < count) started.push(startDbscanWorker());
  return started.slice(0, count);
}

/** Stops every worker (tests; a process exits without it). */
export async function stopDbscanWorkers(): Promise<void> {
  await Promise.all(started.splice(0).map((worker) => worker.stop()));
}

function startDbscanWorker(): DbscanWorker {
  const worker = startWorker();
  worker.unref();
  const pending = new Map<number, { resolve(): void; reject(error: Error): void }>();
  let failure: Error | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
    const index = started.indexOf(handle);
    if (index >= 0) started.splice(index, 1); // the next run starts a fresh one
    for (const waiting of pending.values()) waiting.reject(failure);
    pending.clear();
  };
  worker.on('message', (reply: DbscanWorkerReply) => {
    const waiting = pending.get(reply.requestId);
    if (!waiting) return;
    pending.delete(reply.requestId);
    if (pending.size === 0) worker.unref();
    if (reply.error === undefined) waiting.resolve();
    else waiting.reject(new Error(`DBSCAN worker failed: ${reply.error}`));
  });
  worker.on('error', (error) => fail(new Error(`DBSCAN worker crashed: ${error.message}`, { cause: error })));
  worker.on('exit', (code) => fail(new Error(`DBSCAN worker stopped (exit code ${code})`)));
  const handle: DbscanWorker = {
    run(pass) {
      if (failure) return Promise.reject(failure);
      const requestId = nextRequestId++;
      return new Promise<void>((resolve, reject) => {
        pending.set(requestId, { resolve, reject });
        worker.ref();
        worker.postMessage({ requestId, pass } satisfies DbscanWorkerRequest);
      });
    },
    stop: () => worker.terminate(),
  };
  return handle;
}

/**
 * dbscan-worker.js in the build; from TypeScript (vitest, tsx) a bootstrap
 * that registers tsx inside the worker first, since Node 20 ignores loader
 * flags in a worker's execArgv (nodejs/node#47747). Same as
 * kmeans-worker-threads.ts, which keeps its copy private.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./dbscan-worker.js', import.meta.url), { execArgv: [] });
  const tsxApi = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./dbscan-worker.ts', import.meta.url).href);
  const bootstrap = `import(${tsxApi}).then(({ register }) => { register(); return import(${entry}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: [] });
}
