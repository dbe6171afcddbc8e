import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { MEAN_EVENTS_PER_USER, resolveWorld, type RetailWorldOptions } from './retail-world.js';
import type { WorldSettings } from './user-simulation.js';
import { worldEventChunk, type WorldEventChunk } from './world-event-chunk.js';
import { worldJsonlChunk, worldLineChunk, type WorldJsonlChunk, type WorldLineChunk } from './world-line-chunk.js';

export interface WorldLineStreamOptions {
  /**
   * Worker threads making chunks; 0 makes them on this thread. Worlds under
   * ~20,000 messages are always made here (a worker costs ~40 ms to start).
   * @default min(4, availableParallelism())
   */
  workers?: number;
  /** Users per chunk (~180 messages, ~100 KB of text each). @default 50 */
  usersPerChunk?: number;
  /** Chunks made ahead of the consumer per worker: bounds memory (~10 MB a chunk). @default 3 */
  aheadPerWorker?: number;
}

/** What a worker makes: JSON lines, JSONL bytes, or events normalized against the clock `now`. */
export type ChunkForm = { form: 'lines' } | { form: 'jsonl' } | { form: 'events'; now: number };

type AnyChunk = WorldLineChunk | WorldJsonlChunk | WorldEventChunk;

/** A worker's workerData (world-line-worker.ts). */
export interface WorkerSetup {
  options: RetailWorldOptions;
  form: ChunkForm;
}

/** Messages a worker understands (world-line-worker.ts). */
export interface ChunkRequest {
  requestId: number;
  firstUser: number;
  users: number;
}

export type ChunkReply = { requestId: number; chunk: AnyChunk; error?: undefined } | { requestId: number; chunk?: undefined; error: string };

/** One chunk, on whatever thread asks: the worker and the inline path share it. */
export function makeChunk(world: WorldSettings, form: ChunkForm, firstUser: number, users: number): AnyChunk {
  switch (form.form) {
    case 'lines':
      return worldLineChunk(world, firstUser, users);
    case 'jsonl':
      return worldJsonlChunk(world, firstUser, users);
    case 'events':
      return worldEventChunk(world, firstUser, users, form.now);
  }
}

/** The buffers of a chunk that can move to another thread instead of being copied. */
export function transferables(chunk: AnyChunk): ArrayBuffer[] {
  return 'bytes' in chunk ? [chunk.perUser.buffer, chunk.bytes.buffer] : [chunk.perUser.buffer];
}

const INLINE_BELOW_MESSAGES = 20_000;

/**
 * The world's JSON lines, chunk by chunk in world order (generateRetailWorld's
 * order, byte for byte). Users depend only on (seed, userIndex), so worker
 * threads make chunks ahead while the consumer stores the previous ones:
 * generation was two thirds of the demo's ingest, on one core. Workers stop
 * when the stream ends or the consumer stops early.
 */
export function streamWorldLines(options: RetailWorldOptions, streamOptions: WorldLineStreamOptions = {}): AsyncGenerator<WorldLineChunk, void, undefined> {
  return streamChunks(options, { form: 'lines' }, streamOptions) as AsyncGenerator<WorldLineChunk, void, undefined>;
}

/**
 * The world's messages through normalizeSegmentMessage (clock `now`), chunk
 * by chunk in world order, made by worker threads like streamWorldLines.
 */
export function streamWorldEvents(options: RetailWorldOptions, now: number, streamOptions: WorldLineStreamOptions = {}): AsyncGenerator<WorldEventChunk, void, undefined> {
  return streamChunks(options, { form: 'events', now }, streamOptions) as AsyncGenerator<WorldEventChunk, void, undefined>;
}

/** The world as JSONL bytes (streamWorldLines' lines, UTF-8, newline after each), for a file. */
export function streamWorldJsonl(options: RetailWorldOptions, streamOptions: WorldLineStreamOptions = {}): AsyncGenerator<WorldJsonlChunk, void, undefined> {
  return streamChunks(options, { form: 'jsonl' }, streamOptions) as AsyncGenerator<WorldJsonlChunk, void, undefined>;
}

async function* streamChunks(options: RetailWorldOptions, form: ChunkForm, streamOptions: WorldLineStreamOptions): AsyncGenerator<AnyChunk, void, undefined> {
  const world = resolveWorld(options);
  const usersPerChunk = Math.max(1, Math.floor(streamOptions.usersPerChunk ?? 50));
  const chunks = Math.ceil(world.users / usersPerChunk);
  const requested = streamOptions.workers ?? Math.min(4, availableParallelism());
  const workers = world.users * MEAN_EVENTS_PER_USER < INLINE_BELOW_MESSAGES ? 0 : Math.max(0, Math.min(Math.floor(requested), chunks));
  if (workers === 0) {
    for (let chunk = 0; chunk < chunks; chunk++) yield makeChunk(world, form, chunk * usersPerChunk, usersPerChunk);
    return;
  }
  // Plain options only: each worker resolves its own copy of the world.
  const plain: RetailWorldOptions = { seed: world.seed, users: world.users, start: world.start, days: world.days, duplicateRate: world.duplicateRate };
  const pool = Array.from({ length: workers }, () => startChunkWorker({ options: plain, form }));
  const ahead = workers * Math.max(1, Math.floor(streamOptions.aheadPerWorker ?? 3));
  const pending: Array<Promise<AnyChunk>> = [];
  let next = 0;
  const request = (): void => {
    const chunk = next++;
    const reply = (pool[chunk % workers] as ChunkWorker).make(chunk * usersPerChunk, usersPerChunk);
    // Awaited in order below; until then a failure must not count as unhandled.
    reply.catch(() => undefined);
    pending.push(reply);
  };
  try {
    while (next < chunks && pending.length < ahead) request();
    while (pending.length > 0) {
      const chunk = await (pending.shift() as Promise<AnyChunk>);
      if (next < chunks) request();
      yield chunk;
    }
  } finally {
    await Promise.all(pool.map((worker) => worker.stop()));
  }
}

interface ChunkWorker {
  make(firstUser: number, users: number): Promise<AnyChunk>;
  stop(): Promise<void>;
}

let nextRequestId = 0;

function startChunkWorker(setup: WorkerSetup): ChunkWorker {
  const worker = startWorker(setup);
  const pending = new Map<number, { resolve(chunk: AnyChunk): void; reject(error: Error): void }>();
  let failure: Error | undefined;
  let stopping = false;
  const fail = (error: Error): void => {
    failure ??= error;
    for (const waiting of pending.values()) waiting.reject(failure);
    pending.clear();
  };
  worker.on('message', (reply: ChunkReply) => {
    const waiting = pending.get(reply.requestId);
    if (!waiting) return;
    pending.delete(reply.requestId);
    // Idle workers must not keep the process alive; busy ones must.
    if (pending.size === 0) worker.unref();
    if (reply.chunk) waiting.resolve(reply.chunk);
    else waiting.reject(new Error(`synthetic world worker failed: ${reply.error}`));
  });
  worker.on('error', (error) => fail(new Error(`synthetic world worker crashed: ${error.message}`, { cause: error })));
  worker.on('exit', (code) => {
    if (!stopping) fail(new Error(`synthetic world worker stopped (exit code ${code})`));
  });
  return {
    make(firstUser, users) {
      if (failure) return Promise.reject(failure);
      const requestId = nextRequestId++;
      return new Promise<AnyChunk>((resolve, reject) => {
        pending.set(requestId, { resolve, reject });
        worker.ref();
        worker.postMessage({ requestId, firstUser, users } satisfies ChunkRequest);
      });
    },
    async stop() {
      stopping = true;
      await worker.terminate();
    },
  };
}

/**
 * world-line-worker.js beside this module in the build; the .ts entry when
 * this module was loaded from TypeScript (vitest, tsx). Node 20 ignores
 * `--import tsx` in a worker's execArgv (nodejs/node#47747), so that case
 * registers tsx's hooks inside the worker first, as kmeans-worker-threads.ts
 * does. tsx is a dev dependency; the build never takes that branch.
 */
function startWorker(setup: WorkerSetup): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./world-line-worker.js', import.meta.url), { workerData: setup, execArgv: [] });
  }
  const tsxApi = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./world-line-worker.ts', import.meta.url).href);
  const bootstrap = `import(${tsxApi}).then(({ register }) => { register(); return import(${entry}); });`;
  return new Worker(bootstrap, { eval: true, workerData: setup, execArgv: [] });
}
