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
 * text of the shared parts). They are joined into ~1 MiB strings and written as one Buffer each: one
 * syscall (or one zlib job) per thousands of events, and the streams' 8 MiB
 * buffers let compression and disk writes run on libuv's threads while the
 * main thread keeps generating, instead of waiting for every chunk to drain.
 */
const CHUNK_CHARS = 1 << 20;
const STREAM_BUFFER_BYTES = 8 << 20;

/**
 * Writes a retail world as Segment JSONL (gzip, level 1, when the path ends in
 * `.gz`) and its ground truth as CSV beside it. Parent directories are created.
 */
export async function writeWorld(path: string, options: RetailWorldOptions): Promise<WriteWorldResult> {
  const truthPath = truthPathFor(path);
  await mkdir(dirname(path), { recursive: true });
  const users = simulateUsers(resolveWorld(options), true); // options are checked before any file is created
  const eventsOut = openOutput(path, path.endsWith('.gz'));
  const truthOut = openOutput(truthPath, false);
  const result: WriteWorldResult = { users: 0, events: 0, duplicates: 0, bytes: 0, uncompressedBytes: 0, path, truthPath };
  try {
    let lines = '';
    let truth = 'user_key,persona,user_id,anonymous_ids\n';
    for (const user of users) {
      const { duplicate } = user;
      const userLines = user.lines ?? user.messages.map((message) => JSON.stringify(message));
      for (let index = 0; index < userLines.length; index++) {
        lines += `${userLines[index]}\n`;
        if (duplicate[index] === true) result.duplicates++;
      }
      result.users++;
      result.events += userLines.length;
      truth += truthRow(user.truth);
      if (lines.length >= CHUNK_CHARS) {
        const buffer = Buffer.from(lines);
        lines = '';
        result.uncompressedBytes += buffer.length;
        await eventsOut.write(buffer);
      }
      if (truth.length >= CHUNK_CHARS) {
        const buffer = Buffer.from(truth);
        truth = '';
        await truthOut.write(buffer);
      }
    }
    const buffer = Buffer.from(lines);
    result.uncompressedBytes += buffer.length;
    await eventsOut.write(buffer);
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
  /** Resolves at once unless more than 8 MiB wait in the stream, then when they are drained. */
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
