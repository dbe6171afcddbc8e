import { createReadStream, existsSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { durableMark } from './durable-mark.js';
import { SPOOL_FILE } from './spool-files.js';

/** Where loading stopped: committed with the events it covers. */
export interface SpoolCursor {
  file: string;
  /** Bytes of `file` loaded. */
  offset: number;
  /** Lines of `file` loaded (for quarantine line numbers). */
  line: number;
}

export interface SpoolLine {
  file: string;
  /** 1-based line within the spool file. */
  line: number;
  text: string;
}

export interface SpoolBatch {
  lines: SpoolLine[];
  /** The cursor after these lines. */
  cursor: SpoolCursor;
}

export function parseSpoolCursor(value: unknown): SpoolCursor | null | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object') return null;
  const cursor = value as Record<string, unknown>;
  if (typeof cursor.file !== 'string' || !SPOOL_FILE.test(cursor.file) || typeof cursor.offset !== 'number' || typeof cursor.line !== 'number') return null;
  return { file: cursor.file, offset: cursor.offset, line: cursor.line };
}

/**
 * Reads the spool from a committed cursor, in batches of whole lines, never
 * past what the writer has made durable (durable-mark.ts). Files wholly
 * before the cursor were loaded and committed: they are deleted here.
 */
export async function* readSpool(dir: string, from: SpoolCursor | undefined, options: { batchLines: number; signal?: AbortSignal }): AsyncIterable<SpoolBatch> {
  if (!existsSync(dir)) return;
  const names = readdirSync(dir).filter((name) => SPOOL_FILE.test(name)).sort();
  for (const name of names) {
    if (from !== undefined && name < from.file) unlinkSync(join(dir, name));
  }
  const mark = durableMark(dir);
  for (const name of names) {
    if (from !== undefined && name < from.file) continue;
    if (mark !== undefined && name > mark.file) break;
    const path = join(dir, name);
    const size = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
    const limit = mark !== undefined && name === mark.file ? Math.min(size, mark.offset) : size;
    let offset = from !== undefined && name === from.file ? from.offset : 0;
    let line = from !== undefined && name === from.file ? from.line : 0;
    if (offset >= limit) continue;
    let carry: Buffer | null = null;
    let batch: SpoolLine[] = [];
    for await (const chunk of createReadStream(path, { start: offset, end: limit - 1, highWaterMark: 1 << 20 })) {
      if (options.signal?.aborted) return;
      const buffer: Buffer = carry === null ? (chunk as Buffer) : Buffer.concat([carry, chunk as Buffer]);
      let start = 0;
      let newline = buffer.indexOf(10, start);
      while (newline !== -1) {
        line += 1;
        offset += newline - start + 1;
        const text = buffer.toString('utf8', start, newline);
        if (text !== '') batch.push({ file: name, line, text });
        start = newline + 1;
        if (batch.length >= options.batchLines) {
          yield { lines: batch, cursor: { file: name, offset, line } };
          batch = [];
        }
        newline = buffer.indexOf(10, start);
      }
      // An incomplete last line is a write in progress (or a torn one): it is read once complete.
      carry = start < buffer.length ? Buffer.from(buffer.subarray(start)) : null;
    }
    yield { lines: batch, cursor: { file: name, offset, line } };
  }
}

/** Bytes in the spool not yet loaded, for backpressure. */
export function spoolBacklogBytes(dir: string, loaded: SpoolCursor | undefined): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const name of readdirSync(dir).filter((entry) => SPOOL_FILE.test(entry))) {
    if (loaded !== undefined && name < loaded.file) continue;
    const size = statSync(join(dir, name), { throwIfNoEntry: false })?.size ?? 0;
    total += loaded !== undefined && name === loaded.file ? Math.max(0, size - loaded.offset) : size;
  }
  return total;
}
