/**
 * The process's k-means worker threads: started on first use, then kept and
 * shared by every pool (kmeans-worker-pool.ts). Why keep them: a fresh
 * worker costs ~40 ms to start and runs its first passes in unoptimised code
 * while V8 warms up; a k selection, restarts and the weekly re-fit all reuse
 * warm workers instead. They are unref'd while idle, so they never keep the
 * process alive, and ref'd while a pass is outstanding, so an awaited pass
 * does.
 */
import { Worker } from 'node:worker_threads';
import type { BlockPass, KmeansRowState } from './kmeans-block-passes.js';

/** Messages a worker understands (kmeans-worker.ts). */
export type WorkerRequest =
  | { type: 'attach'; stateId: number; state: KmeansRowState }
  | { type: 'detach'; stateId: number }
  | { type: 'pass'; requestId: number; stateId: number; pass: BlockPass };

export interface WorkerReply {
  requestId: number;
  partials?: Float64Array;
  error?: string;
}

export interface KmeansWorker {
  /** Runs a pass on a state attached earlier; resolves with the blocks' partials. */
  run(stateId: number, pass: BlockPass): Promise<Float64Array>;
  /** Fire-and-forget: attach or detach a state (handled in order with the passes). */
  send(message: Extract<WorkerRequest, { type: 'attach' | 'detach' }>): void;
}

interface StartedWorker extends KmeansWorker {
  stop(): Promise<number>;
}

const started: StartedWorker[] = [];
let nextRequestId = 0;

/** `count` workers, starting the missing ones; the same ones on every call. */
export function kmeansWorkers(count: number): KmeansWorker[] {
  while (started.length < count) started.push(startKmeansWorker());
  return started.slice(0, count);
}

/** Stops every worker (tests; a process exits without it). */
export async function stopKmeansWorkers(): Promise<void> {
  const stopping = started.splice(0);
  await Promise.all(stopping.map((worker) => worker.stop()));
}

function startKmeansWorker(): StartedWorker {
  const worker = startWorker();
  worker.unref();
  const pending = new Map<number, { resolve(partials: Float64Array): void; reject(error: Error): void }>();
  let failure: Error | undefined;

  const fail = (error: Error): void => {
    failure ??= error;
    const index = started.indexOf(handle);
    if (index >= 0) started.splice(index, 1); // the next pool starts a fresh one
    for (const waiting of pending.values()) waiting.reject(failure);
    pending.clear();
  };
  worker.on('message', (reply: WorkerReply) => {
    const waiting = pending.get(reply.requestId);
    if (!waiting) return;
    pending.delete(reply.requestId);
    if (pending.size === 0) worker.unref();
    if (reply.partials) waiting.resolve(reply.partials);
    else waiting.reject(new Error(`k-means worker failed: ${reply.error ?? 'no reply'}`));
  });
  worker.on('error', (error) => fail(new Error(`k-means worker crashed: ${error.message}`, { cause: error })));
  worker.on('exit', (code) => fail(new Error(`k-means worker stopped (exit code ${code})`)));

  const handle: StartedWorker = {
    run(stateId: number, pass: BlockPass): Promise<Float64Array> {
      if (failure) return Promise.reject(failure);
      const requestId = nextRequestId++;
      return new Promise<Float64Array>((resolve, reject) => {
        pending.set(requestId, { resolve, reject });
        worker.ref();
        worker.postMessage({ type: 'pass', requestId, stateId, pass } satisfies WorkerRequest);
      });
    },
    send(message: Extract<WorkerRequest, { type: 'attach' | 'detach' }>): void {
      if (!failure) worker.postMessage(message);
    },
    stop: () => worker.terminate(),
  };
  return handle;
}

/**
 * Starts kmeans-worker next to this module: `kmeans-worker.js` in the
 * compiled build; `kmeans-worker.ts` when this module itself was loaded from
 * TypeScript (vitest, tsx). A worker does not inherit the parent's module
 * hooks, and Node 20 ignores loader flags such as `--import tsx` in a
 * worker's execArgv (nodejs/node#47747, fixed in Node 22.2), so the
 * TypeScript case starts a one-line bootstrap that registers tsx's hooks
 * inside the worker and then imports the entry. tsx is a dev dependency; the
 * build never reaches that branch.
 */
function startWorker(): Worker {
  // execArgv: [] rather than the parent's flags: a parent started with `--import tsx` would
  // otherwise load tsx into every worker, ~90 ms of CPU each on this machine.
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./kmeans-worker.js', import.meta.url), { execArgv: [] });
  const tsxApi = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./kmeans-worker.ts', import.meta.url).href);
  const bootstrap = `import(${tsxApi}).then(({ register }) => { register(); return import(${entry}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: [] });
}
