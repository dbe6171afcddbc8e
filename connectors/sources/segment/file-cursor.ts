import { statSync } from 'node:fs';

/** Per-file progress: the cursor of file sources. */
export interface FileProgress {
  /** Bytes (uncompressed) fully processed. */
  offset: number;
  /** Lines fully processed. */
  line: number;
  done: boolean;
  size: number;
  mtimeMs: number;
}

export interface FilesCursor {
  files: Record<string, FileProgress>;
}

export function asFilesCursor(value: unknown): FilesCursor {
  if (typeof value === 'object' && value !== null && 'files' in value) return value as FilesCursor;
  return { files: {} };
}

/**
 * Where to resume a file: skip it (done, unchanged), continue after the last
 * line (partly read, or a plain file that grew by appending), or start over
 * (rewritten: shrank, or a gzip file that changed — gzip cannot be appended to
 * in place). Starting over is safe: messageIds make re-reads idempotent.
 */
export function resumePoint(file: string, previous: FileProgress | undefined): { skip: true } | { skip: false; offset: number; line: number } {
  const stats = statSync(file);
  if (!previous) return { skip: false, offset: 0, line: 0 };
  const unchanged = stats.size === previous.size && stats.mtimeMs === previous.mtimeMs;
  if (previous.done && unchanged) return { skip: true };
  const compressed = file.endsWith('.gz');
  if (!previous.done && unchanged) return { skip: false, offset: previous.offset, line: previous.line };
  if (!compressed && stats.size > previous.size) return { skip: false, offset: previous.offset, line: previous.line };
  return { skip: false, offset: 0, line: 0 };
}
