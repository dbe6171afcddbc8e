import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

const CHUNK_BYTES = 1 << 20;

export const isGzipFile = (file: string): boolean => file.toLowerCase().endsWith('.gz');

/**
 * Whether a whole file may try the bulk path: not empty; for plain JSONL no
 * byte-order mark and a newline at the end (a half-written last line needs
 * the careful path, which re-reads it later). A gzip file is complete by
 * construction (DuckDB decompresses it itself, and declines a damaged one).
 */
export async function bulkEligible(file: string, size: number): Promise<boolean> {
  if (size === 0) return false;
  if (isGzipFile(file)) return true;
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(3);
    await handle.read(head, 0, 3, 0);
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return false;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] === 10;
  } finally {
    await handle.close();
  }
}

/** Newlines before `offset`: the line number to resume at after a bulk load. */
export async function countLines(file: string, offset: number): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file, { start: 0, end: offset - 1, highWaterMark: CHUNK_BYTES })) {
    const buffer = chunk as Buffer;
    let index = buffer.indexOf(10);
    while (index !== -1) {
      lines++;
      index = buffer.indexOf(10, index + 1);
    }
  }
  return lines;
}

export async function endsLine(file: string, offset: number): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const byte = Buffer.alloc(1);
    const { bytesRead } = await handle.read(byte, 0, 1, offset - 1);
    return bytesRead === 1 && byte[0] === 10;
  } finally {
    await handle.close();
  }
}

/** A byte stream of the file's (uncompressed) content from `offset`. */
export function openAt(file: string, offset: number): AsyncIterable<Buffer> {
  if (!isGzipFile(file)) return createReadStream(file, { start: offset, highWaterMark: CHUNK_BYTES });
  const gunzip = createReadStream(file, { highWaterMark: CHUNK_BYTES }).pipe(createGunzip({ chunkSize: CHUNK_BYTES }));
  return offset === 0 ? gunzip : skipBytes(gunzip, offset);
}

/**
 * The first `bytes` of the (uncompressed) content as text; whatever decoded
 * when a gzip stream is damaged (the line reader then reports the damage).
 */
export async function readHeadText(file: string, bytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = openAt(file, 0) as Readable;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      total += (chunk as Buffer).length;
      if (total >= bytes) break;
    }
  } catch {
    // Damaged gzip: what decoded so far is the head.
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bytes).toString('utf8');
}

/** The whole (uncompressed) content, unless it exceeds `limit` bytes. Throws zlib errors. */
export async function readWholeText(file: string, limit: number): Promise<{ text: string } | { tooLarge: number }> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of openAt(file, 0)) {
    total += chunk.length;
    if (total > limit) return { tooLarge: total };
    chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks, total).toString('utf8') };
}

async function* skipBytes(stream: Readable, bytes: number): AsyncIterable<Buffer> {
  let remaining = bytes;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    if (remaining >= buffer.length) {
      remaining -= buffer.length;
      continue;
    }
    yield remaining > 0 ? buffer.subarray(remaining) : buffer;
    remaining = 0;
  }
}
