import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readSync, statSync, ftruncateSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { publishDurableMark, retractDurableMark } from './durable-mark.js';
import { SPOOL_FILE, spoolFileName } from './spool-files.js';

/**
 * The ingest API's write-ahead journal: every accepted request's events are
 * appended here as JSONL and fsync'd before the request is answered 200.
 * DuckDB loads the journal later in large batches (the segment-api source
 * reads it from a cursor committed with the events), so an answer never
 * waits for a DuckDB transaction, and nothing answered 200 is lost.
 *
 * Group commit: appends that arrive while an fsync is in flight wait for the
 * next one and share it, so the fsync rate stays at about one per disk round
 * trip whatever the request rate.
 */
export interface SpoolWriter {
  readonly dir: string;
  /** Appends complete lines (each ending in "\n"); resolves once they are on disk. */
  append(lines: string): Promise<void>;
  /** Bytes accepted but not yet fsync'd. */
  readonly pendingBytes: number;
  /** Writes what is pending, then closes the file. */
  close(): Promise<void>;
}

export interface SpoolWriterOptions {
  /** Start a new file past this size, so loaded files can be deleted. @default 64 MiB */
  maxFileBytes?: number;
}

interface Waiter {
  text: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

export async function openSpoolWriter(dir: string, options: SpoolWriterOptions = {}): Promise<SpoolWriter> {
  const maxFileBytes = options.maxFileBytes ?? 64 * 1024 * 1024;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const existing = readdirSync(dir).filter((name) => SPOOL_FILE.test(name)).sort();
  let sequence = existing.length === 0 ? 1 : Number.parseInt(existing[existing.length - 1]!, 10);
  let name = spoolFileName(sequence);
  let size = repairTail(join(dir, name));
  let handle: FileHandle = await open(join(dir, name), 'a', 0o600);
  syncDirectory(dir);
  publishDurableMark(dir, { file: name, offset: size });

  let waiting: Waiter[] = [];
  let pendingBytes = 0;
  let flushing: Promise<void> | null = null;
  let failed: Error | null = null;

  const flushLoop = async () => {
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      const text = group.map((waiter) => waiter.text).join('');
      const bytes = Buffer.from(text, 'utf8');
      try {
        if (size > 0 && size + bytes.length > maxFileBytes) {
          await handle.sync();
          await handle.close();
          sequence += 1;
          name = spoolFileName(sequence);
          size = 0;
          handle = await open(join(dir, name), 'a', 0o600);
          // The new file's directory entry must be durable too, or a crash
          // could lose a whole acknowledged file.
          syncDirectory(dir);
        }
        await handle.write(bytes);
        await handle.datasync();
        size += bytes.length;
        pendingBytes -= bytes.length;
        publishDurableMark(dir, { file: name, offset: size });
        for (const waiter of group) waiter.resolve();
      } catch (error) {
        // A failed write or fsync leaves the file's tail unknown: refuse
        // everything from now on rather than acknowledge on top of it.
        failed = error as Error;
        for (const waiter of [...group, ...waiting]) waiter.reject(failed);
        waiting = [];
        pendingBytes = 0;
      }
    }
    flushing = null;
  };

  return {
    dir,
    get pendingBytes() {
      return pendingBytes;
    },
    append(lines) {
      if (failed) return Promise.reject(failed);
      return new Promise<void>((resolve, reject) => {
        waiting.push({ text: lines, resolve, reject });
        pendingBytes += Buffer.byteLength(lines, 'utf8');
        flushing ??= flushLoop();
      });
    },
    async close() {
      while (flushing) await flushing;
      await handle.sync();
      await handle.close();
      retractDurableMark(dir);
    },
  };
}

/**
 * A crash during a write can leave a partial last line (never acknowledged:
 * its fsync had not returned). Cut it so the next append starts on a line
 * boundary. Returns the file's size after the repair.
 */
function repairTail(path: string): number {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return 0;
  }
  if (size === 0) return 0;
  const fd = openSync(path, 'r+');
  try {
    const chunk = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const read = readSync(fd, chunk, 0, end - start, start);
      const newline = chunk.subarray(0, read).lastIndexOf(0x0a);
      if (newline >= 0) {
        const keep = start + newline + 1;
        if (keep !== size) {
          ftruncateSync(fd, keep);
          fsyncSync(fd);
        }
        return keep;
      }
      end = start;
    }
    ftruncateSync(fd, 0);
    fsyncSync(fd);
    return 0;
  } finally {
    closeSync(fd);
  }
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
