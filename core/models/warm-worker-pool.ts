/**
 * A process's worker threads for one kind of job, started on first use and
 * kept warm for the next call (~40 ms to start one, and a cold worker runs
 * its first jobs unoptimised), unref'd while idle so they never keep the
 * process alive. A worker that crashes leaves the pool; the next call starts
 * a fresh one. The worker file answers each `{requestId, job}` with
 * `{requestId, error?}` once the job's shared memory holds its result.
 * DBSCAN's and the silhouette's pools are two of these; k-means keeps its
 * own (its workers return data).
 */
import { Worker } from 'node:worker_threads';

export interface WorkerReply {
  requestId: number;
  error?: string;
}

export interface WarmWorker<Job> {
  run(job: Job): Promise<void>;
}

export interface WarmWorkerPool<Job> {
  /** `count` workers, starting the missing ones; the same ones on every call. */
  workers(count: number): WarmWorker<Job>[];
  /** Stops every worker (tests; a process exits without it). */
  stop(): Promise<void>;
}

/**
 * `entry` is the worker module's URL without its extension (`new URL('./x-worker', import.meta.url)`):
 * `.js` in the build; from TypeScript (vitest, tsx) a bootstrap that registers
 * tsx inside the worker first, since Node 20 ignores loader flags in a
 * worker's execArgv (nodejs/node#47747).
 */
export function warmWorkerPool<Job>(label: string, entry: URL, fromTypeScript: boolean): WarmWorkerPool<Job> {
  const started: Array<WarmWorker<Job> & { stop(): Promise<number> }> = [];
  let nextRequestId = 0;

  const startWorker = (): Worker => {
    if (!fromTypeScript) return new Worker(new URL(`${entry.href}.js`), { execArgv: [] });
    const tsxApi = JSON.stringify(import.meta.resolve('tsx/esm/api'));
    const bootstrap = `import(${tsxApi}).then(({ register }) => { register(); return import(${JSON.stringify(`${entry.href}.ts`)}); });`;
    return new Worker(bootstrap, { eval: true, execArgv: [] });
  };

  const start = () => {
    const worker = startWorker();
    worker.unref();
    const pending = new Map<number, { resolve(): void; reject(error: Error): void }>();
    let failure: Error | undefined;
    const fail = (error: Error): void => {
      failure ??= error;
      const index = started.indexOf(handle);
      if (index >= 0) started.splice(index, 1);
      for (const waiting of pending.values()) waiting.reject(failure);
      pending.clear();
    };
    worker.on('message', (reply: WorkerReply) => {
      const waiting = pending.get(reply.requestId);
      if (!waiting) return;
      pending.delete(reply.requestId);
      if (pending.size === 0) worker.unref();
      if (reply.error === undefined) waiting.resolve();
      else waiting.reject(new Error(`${label} worker failed: ${reply.error}`));
    });
    worker.on('error', (error) => fail(new Error(`${label} worker crashed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => fail(new Error(`${label} worker stopped (exit code ${code})`)));
    const handle = {
      run(job: Job) {
        if (failure) return Promise.reject(failure);
        const requestId = nextRequestId++;
        return new Promise<void>((resolve, reject) => {
          pending.set(requestId, { resolve, reject });
          worker.ref();
          worker.postMessage({ requestId, job });
        });
      },
      stop: () => worker.terminate(),
    };
    return handle;
  };

  return {
    workers(count) {
      while (started.length < count) started.push(start());
      return started.slice(0, count);
    },
    async stop() {
      await Promise.all(started.splice(0).map((worker) => worker.stop()));
    },
  };
}
