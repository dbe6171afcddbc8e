import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { resolveWorld, simulateUsers, type RetailWorldOptions } from './retail-world.js';
import type { UserTruth } from './user-simulation.js';

export interface WriteWorldResult {
  users: number;
  /** Lines written, retries included. */
  events: number;
  /** Of which retries (a repeated messageId). */
  duplicates: number;
  /** Size of the events file on disk (compressed when gzipped). */
  bytes: number;
  /** Size of the JSONL before compression. */
  uncompressedBytes: number;
  path: string;
  /** `<path without .gz and .jsonl>.truth.csv`: user_key,persona,user_id,anonymous_ids. */
  truthPath: string;
}

/**
 * Lines come from messageLine() (JSON.stringify's bytes, built from cached
 * text of the shared parts) and are written in 1 MiB buffers: one syscall (or
 * one zlib job) per ~1,400 events. Up to 16 MiB may wait in a stream, so
 * compression and disk writes run on libuv's threads while the main thread
 * keeps generating, instead of waiting for every chunk to drain.
 */
const CHUNK_BYTES = 1 << 20;
const TRUTH_CHUNK_CHARS = 256 << 10;
const STREAM_BUFFER_BYTES = 16 << 20;

/**
 * Writes a retail world as Segment JSONL (gzip, level 1, when the path ends in
 * `.gz`) and its ground truth as CSV beside it. Parent directories are created.
 */
export async function writeWorld(path: string, options: RetailWorldOptions): Promise<WriteWorldResult> {
  const world = resolveWorld(options); // options are checked before any directory or file is created
  const truthPath = truthPathFor(path);
  await mkdir(dirname(path), { recursive: true });
  const users = simulateUsers(world, true);
  const eventsOut = openOutput(path, path.endsWith('.gz'));
  const truthOut = openOutput(truthPath, false);
  const result: WriteWorldResult = { users: 0, events: 0, duplicates: 0, bytes: 0, uncompressedBytes: 0, path, truthPath };
  const chunk = createChunk(CHUNK_BYTES);
  try {
    let truth = 'user_key,persona,user_id,anonymous_ids\n';
    for (const user of users) {
      const { duplicate } = user;
      const lines = user.lines ?? user.messages.map((message) => JSON.stringify(message));
      for (let index = 0; index < lines.length; index++) {
        const line = lines[index] as string;
        if (!chunk.fits(line)) {
          const full = chunk.take();
          result.uncompressedBytes += full.length;
          await eventsOut.write(full);
        }
        chunk.add(line);
        if (duplicate[index] === true) result.duplicates++;
      }
      result.users++;
      result.events += lines.length;
      truth += truthRow(user.truth);
      if (truth.length >= TRUTH_CHUNK_CHARS) {
        await truthOut.write(Buffer.from(truth));
        truth = '';
      }
    }
    const last = chunk.take();
    result.uncompressedBytes += last.length;
    await eventsOut.write(last);
    await truthOut.write(Buffer.from(truth));
    result.bytes = await eventsOut.finish();
    await truthOut.finish();
    return result;
  } catch (error) {
    eventsOut.destroy();
    truthOut.destroy();
    throw error;
  }
}

/**
 * Lines encoded straight into a preallocated buffer: no joined string to
 * build, flatten and encode again, which was a third of the writing time.
 */
function createChunk(size: number): { fits(line: string): boolean; add(line: string): void; take(): Buffer } {
  let buffer = Buffer.allocUnsafe(size);
  let used = 0;
  return {
    // UTF-8 needs at most 3 bytes per UTF-16 unit, plus the newline.
    fits: (line) => used === 0 || size - used > line.length * 3,
    add(line) {
      if (size - used <= line.length * 3) {
        // Only a line longer than a whole chunk (never generated) gets here.
        buffer = Buffer.concat([buffer.subarray(0, used), Buffer.alloc(line.length * 3 + 1)]);
        size = buffer.length;
      }
      used += buffer.write(line, used);
      buffer[used++] = 0x0a;
    },
    take() {
      const full = buffer.subarray(0, used);
      buffer = Buffer.allocUnsafe(size);
      used = 0;
      return full;
    },
  };
}

/** `world.jsonl.gz` → `world.truth.csv`; `world` → `world.truth.csv`. */
export function truthPathFor(path: string): string {
  let stem = path.endsWith('.gz') ? path.slice(0, -3) : path;
  const extension = extname(stem);
  if (extension !== '') stem = stem.slice(0, -extension.length);
  return `${stem}.truth.csv`;
}

function truthRow(truth: UserTruth): string {
  return `${csvField(truth.userKey)},${truth.persona},${csvField(truth.userId ?? '')},${csvField(truth.anonymousIds.join(';'))}\n`;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

interface OutputFile {
  /** Resolves at once unless more than 16 MiB wait in the stream, then when they are drained. */
  write(chunk: Buffer): Promise<void>;
  /** Flushes, closes and returns the bytes on disk. */
  finish(): Promise<number>;
  destroy(): void;
}

function openOutput(path: string, gzip: boolean): OutputFile {
  const file = createWriteStream(path, { highWaterMark: STREAM_BUFFER_BYTES });
  const compressor = gzip ? createGzip({ level: 1, chunkSize: 256 << 10 }) : null;
  const head: Writable = compressor ?? file;
  const done = compressor === null ? finished(file) : pipeline(compressor, file);
  // A failure is reported by the next write() or by finish(); this only stops
  // Node from calling it unhandled in between.
  done.catch(() => undefined);
  return {
    async write(chunk) {
      // Our own limit rather than write()'s answer: zlib streams keep a 16 KiB
      // highWaterMark, which would make every 1 MiB chunk wait. Past the limit,
      // write() has returned false too, so 'drain' will come.
      head.write(chunk);
      if (head.writableLength >= STREAM_BUFFER_BYTES) await Promise.race([once(head, 'drain'), done]);
    },
    async finish() {
      head.end();
      await done;
      return file.bytesWritten;
    },
    destroy() {
      head.destroy();
      file.destroy();
    },
  };
}
