import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { JsonValue } from '../../../core/events/canonical-event.js';
import { streamWorldJsonl, type RetailWorldOptions, type WorldLineStreamOptions } from '../../../core/generate/index.js';
import type { SourceContext } from '../../../core/ingest/source.js';

/** Generated lines are a few KB at most; the limit only guards the bulk reader. */
const MAX_RECORD_BYTES = 1 << 20;

export interface BulkLoadWorldRequest {
  world: RetailWorldOptions;
  sourceId: string;
  /**
   * Messages in the first part (it ends at the first chunk boundary past
   * this); each later part is twice the one before. One transaction and
   * cursor per part: the first commit comes early, and later parts share out
   * the fixed cost of a load (ten 100k-message parts took 4 s more than one).
   */
  partMessages: number;
  cursorOf(emitted: number): JsonValue;
  lineOptions: WorldLineStreamOptions;
}

/**
 * The world through the engine's bulk path: worker threads write it as JSONL
 * files of about `partMessages` messages (beside the state, each deleted
 * once loaded), and DuckDB's parallel reader loads and normalizes each in one
 * transaction with its cursor, so a crash keeps whole parts only (parts
 * double in size: see partMessages). The next
 * part is written while the previous one loads. The same events as the
 * message path (the bulk normalizer is held to normalizeSegmentMessage by a
 * differential test); only their bookkeeping differs: one seq per part and
 * origin_file naming the part's file instead of `synthetic:<id>` and a line.
 * Says how many messages were stored, and whether that is all of them (not
 * when the engine declined a part or the run was aborted: the caller yields
 * the rest as messages).
 */
export async function bulkLoadWorld(request: BulkLoadWorldRequest, context: SourceContext): Promise<{ stored: number; complete: boolean }> {
  const load = context.bulkLoadSegmentFile;
  if (load === undefined) return { stored: 0, complete: false };
  const directory = context.stateDir ?? (await mkdtemp(join(tmpdir(), 'segflow-synthetic-')));
  let loaded = 0;
  let loading: Promise<boolean> | null = null;
  let loadingEnd = 0;
  // Waits for the part in flight; false when the engine declined it.
  const settle = async (): Promise<boolean> => {
    if (loading === null) return true;
    const accepted = await loading;
    loading = null;
    if (accepted) loaded = loadingEnd;
    return accepted;
  };
  let part = 0;
  let file = '';
  let out: PartFile | null = null;
  try {
    let emitted = 0;
    for await (const chunk of streamWorldJsonl(request.world, request.lineOptions)) {
      if (context.signal.aborted) break;
      out ??= openPart((file = join(directory, `synthetic-${request.sourceId}-${part}.jsonl`)));
      for (const count of chunk.perUser) emitted += count;
      await out.write(chunk.bytes);
      if (emitted - loadingEnd < request.partMessages * 2 ** part) continue; // loadingEnd: where this part began
      await out.close();
      out = null;
      if (!(await settle())) return { stored: loaded, complete: false };
      loading = startLoad(load, file, request.cursorOf(emitted), (chunk.firstUser + chunk.perUser.length) / request.world.users);
      loadingEnd = emitted;
      part++;
    }
    if (out !== null && !context.signal.aborted) {
      await out.close();
      if (!(await settle())) return { stored: loaded, complete: false };
      loading = startLoad(load, file, request.cursorOf(emitted), 1);
      loadingEnd = emitted;
    }
    const complete = (await settle()) && !context.signal.aborted;
    return { stored: loaded, complete };
  } finally {
    if (out !== null) await (out as PartFile).close().catch(() => undefined); // aborted mid-part
    if (loading !== null) await (loading as Promise<boolean>).catch(() => false);
    if (context.stateDir === undefined) await rm(directory, { recursive: true, force: true });
    else for (let index = 0; index <= part; index++) await rm(join(directory, `synthetic-${request.sourceId}-${index}.jsonl`), { force: true });
  }
}

function startLoad(load: NonNullable<SourceContext['bulkLoadSegmentFile']>, file: string, cursor: JsonValue, progress: number): Promise<boolean> {
  const loading = load({ file, maxRecordBytes: MAX_RECORD_BYTES, cursor, progress });
  loading.catch(() => undefined); // awaited by settle() or the finally block
  return loading;
}

interface PartFile {
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

function openPart(path: string): PartFile {
  const out = createWriteStream(path, { highWaterMark: 16 << 20 });
  const done = finished(out);
  done.catch(() => undefined); // reported by the next write or by close()
  return {
    async write(bytes) {
      if (!out.write(bytes)) await Promise.race([once(out, 'drain'), done]);
    },
    async close() {
      out.end();
      await done;
    },
  };
}
