import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { z } from 'zod';
import type { JsonValue } from '../../../core/events/canonical-event.js';

/** Progress in one file. JSON: it travels inside the opaque source cursor. */
export type FileProgress = {
  /**
   * Last physical line whose messages were all yielded before the checkpoint
   * (header = 1); -1 when not counted (a bulk load): count up to `offset`.
   */
  line: number;
  /** The whole file was read. */
  done: boolean;
  /** Size and mtime when reading started: the change detector for the next run. */
  size: number;
  mtimeMs: number;
  /** sha256 (hex) of the first min(size, 64 KiB) bytes: tells an append from a rewrite. */
  head: string;
  /** Bytes (uncompressed) up to the end of `line`, for sources that can seek. */
  offset?: number;
};

export type FilesCursor = { files: { [absolutePath: string]: FileProgress } };

/** What the file looks like now. */
export interface FileState {
  size: number;
  mtimeMs: number;
  /** sha256 of the current file's first min(previous size, 64 KiB) bytes; computed only when needed. */
  headOf: (length: number) => Promise<string>;
}

export type ResumePlan =
  | { action: 'skip' }
  | { action: 'read'; afterLine: number; why: 'new' | 'resumed' | 'appended' | 'rewritten' | 'truncated' };

export const HEAD_BYTES = 64 * 1024;

const FileProgressSchema = z.object({
  line: z.number().int().min(-1),
  done: z.boolean(),
  size: z.number().nonnegative(),
  mtimeMs: z.number(),
  head: z.string(),
  offset: z.number().int().nonnegative().optional(),
});
const FilesCursorSchema = z.object({ files: z.record(z.string(), FileProgressSchema) });

/** Parses a stored cursor; undefined/null means "never read". Returns null when it is not ours. */
export function parseFilesCursor(value: JsonValue | undefined): FilesCursor | null {
  if (value === undefined || value === null) return { files: {} };
  const parsed = FilesCursorSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * Where to start reading a file, given the previous run's progress:
 *
 * - never seen: read it all;
 * - same size and mtime: skip it when done, otherwise resume after its line
 *   (the run was interrupted);
 * - larger, and its first bytes unchanged: rows were appended: resume after
 *   its line (a done file gets only the new rows);
 * - larger but its first bytes differ: a new export replaced it: read it all;
 * - smaller: truncated or replaced: read it all;
 * - same size, other mtime: rewritten in place: read it all.
 *
 * Reading a file again from the start is safe: the messageIds of unchanged
 * orders are the same, so downstream dedup drops them.
 */
export async function planResume(previous: FileProgress | undefined, current: FileState): Promise<ResumePlan> {
  if (previous === undefined) return { action: 'read', afterLine: 0, why: 'new' };
  if (current.size < previous.size) return { action: 'read', afterLine: 0, why: 'truncated' };
  if (current.size === previous.size) {
    if (current.mtimeMs !== previous.mtimeMs) return { action: 'read', afterLine: 0, why: 'rewritten' };
    return previous.done ? { action: 'skip' } : { action: 'read', afterLine: previous.line, why: 'resumed' };
  }
  const head = await current.headOf(Math.min(previous.size, HEAD_BYTES));
  if (head !== previous.head) return { action: 'read', afterLine: 0, why: 'rewritten' };
  return { action: 'read', afterLine: previous.line, why: 'appended' };
}

/** sha256 of a file's first `length` bytes (raw, not gunzipped: appending to a .gz keeps them). */
export async function headHash(file: string, length: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return createHash('sha256').update(buffer.subarray(0, bytesRead)).digest('hex');
  } finally {
    await handle.close();
  }
}
