import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { JsonValue } from '../events/canonical-event.js';

/**
 * Which files a file source already ingested have been rewritten or cut
 * since: read again from the start, they bring back every event in them,
 * erased people's included (dropped by the suppression list, which a run
 * then names). The file sources' cursors (`{ files: { path: { size,
 * mtimeMs, head } } }`, connectors/sources/shared/file-cursor.ts) say what
 * each file looked like; this reads them by shape, since core does not
 * know connectors, and costs a stat per file plus, for a grown file, a
 * hash of its first 64 KiB. Appends are not reported: they are how logs
 * grow. A cursor of another shape (the ingest API's journal) yields nothing.
 */
const HEAD_BYTES = 64 * 1024;

export function rewrittenSourceFiles(cursor: JsonValue | undefined): string[] {
  if (typeof cursor !== 'object' || cursor === null || Array.isArray(cursor)) return [];
  const files = (cursor as { files?: unknown }).files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) return [];
  const rewritten: string[] = [];
  for (const [path, progress] of Object.entries(files as Record<string, unknown>)) {
    const seen = progress as { size?: unknown; mtimeMs?: unknown; head?: unknown };
    if (typeof seen.size !== 'number' || typeof seen.mtimeMs !== 'number' || typeof seen.head !== 'string') continue;
    let now: { size: number; mtimeMs: number };
    try {
      now = statSync(path);
    } catch {
      continue; // gone: nothing is read again
    }
    const cut = now.size < seen.size;
    const inPlace = now.size === seen.size && now.mtimeMs !== seen.mtimeMs;
    const replaced = now.size > seen.size && headHash(path, Math.min(seen.size, HEAD_BYTES)) !== seen.head;
    if (cut || inPlace || replaced) rewritten.push(path);
  }
  return rewritten;
}

function headHash(path: string, length: number): string {
  const descriptor = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const read = readSync(descriptor, buffer, 0, length, 0);
    return createHash('sha256').update(buffer.subarray(0, read)).digest('hex');
  } finally {
    closeSync(descriptor);
  }
}
