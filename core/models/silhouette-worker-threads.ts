/**
 * The process's silhouette worker threads, started on first use and kept warm
 * for the next score (a k selection scores one per k; the same reasoning as
 * kmeans-worker-threads.ts: ~40 ms to start one, and a cold worker runs its
 * first tiles unoptimised). Unref'd while idle so they never keep the
 * process alive.
 */
import { Worker } from 'node:worker_threads';
import type { SilhouetteTileJob } from './silhouette-tiles.js';

export interface SilhouetteWorkerRequest {
  requestId: number;
  job: SilhouetteTileJob;
}

export interface SilhouetteWorkerReply {
  requestId: number;
  error?: string;
}

interface SilhouetteWorker {
  run(job: SilhouetteTileJob): Promise<void>;
  stop(): Promise<number>;
}

const started: SilhouetteWorker[] = [];
let nextRequestId = 0;

/** `count` workers, starting the missing ones; the same ones on every call. */
export function silhouetteWorkers(count: number): Pick<SilhouetteWorker, 'run'>[] {
  while (started.length < count) started.push(startSilhouetteWorker());
  return started.slice(0, count);
}

/** Stops every worker (tests; a process exits without it). */
export async function stopSilhouetteWorkers(): Promise<void> {
  await Promise.all(started.splice(0).map((worker) => worker.stop()));
}

function startSilhouetteWorker(): SilhouetteWorker {
  const worker = startWorker();
  worker.unref();
  const pending = new Map<number, { resolve(): void; reject(error: Error): void }>();
  let failure: Error | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
    const index = started.indexOf(handle);
    if (index >= 0) started.splice(index, 1); // the next score starts a fresh one
    for (const waiting of pending.values()) waiting.reject(failure);
    pending.clear();
  };
  worker.on('message', (reply: SilhouetteWorkerReply) => {
    const waiting = pending.get(reply.requestId);
    if (!waiting) return;
    pending.delete(reply.requestId);
    if (pending.size === 0) worker.unref();
    if (reply.error === undefined) waiting.resolve();
    else waiting.reject(new Error(`silhouette worker failed: ${reply.error}`));
  });
  worker.on('error', (error) => fail(new Error(`silhouette worker crashed: ${error.message}`, { cause: error })));
  worker.on('exit', (code) => fail(new Error(`silhouette worker stopped (exit code ${code})`)));
  const handle: SilhouetteWorker = {
    run(job) {
      if (failure) return Promise.reject(failure);
      const requestId = nextRequestId++;
      return new Promise<void>((resolve, reject) => {
        pending.set(requestId, { resolve, reject });
        worker.ref();
        worker.postMessage({ requestId, job } satisfies SilhouetteWorkerRequest);
      });
    },
    stop: () => worker.terminate(),
  };
  return handle;
}

/**
 * silhouette-worker.js in the build; from TypeScript (vitest, tsx) a
 * bootstrap that registers tsx inside the worker first, since Node 20
 * ignores loader flags in a worker's execArgv (nodejs/node#47747). Same as
 * kmeans-worker-threads.ts and dbscan-worker-threads.ts, which keep their
 * copies private.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./silhouette-worker.js', import.meta.url), { execArgv: [] });
  const tsxApi = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./silhouette-worker.ts', import.meta.url).href);
  const bootstrap = `import(${tsxApi}).then(({ register }) => { register(); return import(${entry}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: [] });
}
