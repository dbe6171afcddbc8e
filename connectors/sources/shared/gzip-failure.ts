/**
 * A `.gz` file that cannot be decompressed: cut off by an interrupted
 * upload, empty, or plain text with a `.gz` name. Such a file is quarantined
 * as one record (file name and reason) and the run carries on with the
 * other files, instead of failing this and every later run on it.
 *
 * Lines decoded in full before the damage are kept: each was a complete
 * record, and dropping them would hide good data behind one bad byte. The
 * cut-off line after them is not kept (for csv-orders: nor the order open
 * at the damage, which may be missing lines). The file's cursor is committed as
 * done, so later runs skip it until it changes; a grown or replaced file is
 * read again by the usual resume rules (dedup absorbs what was kept).
 */

/** zlib's codes for a stream that is not gzip or ends early. */
const GZIP_FAILURE_CODES = new Set(['Z_DATA_ERROR', 'Z_BUF_ERROR']);

export function isGzipFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && GZIP_FAILURE_CODES.has(code);
}

export interface GzipFailureContext {
  /** Compressed size on disk. */
  fileBytes: number;
  /** Complete lines decoded before the failure (a CSV header included). */
  linesDecoded: number;
}

/** The quarantine reason: what is wrong with the file, in words a user can act on. */
export function describeGzipFailure(error: unknown, context: GzipFailureContext): string {
  const detail = error instanceof Error ? error.message : String(error);
  if (context.fileBytes === 0) return 'empty file (0 bytes): not a gzip stream; remove it or export it again';
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'Z_DATA_ERROR' && context.linesDecoded === 0) {
    return `not gzip (${detail}); remove the .gz suffix if the file is plain text`;
  }
  if (code === 'Z_BUF_ERROR') {
    return `truncated gzip stream after ${context.linesDecoded} lines (${detail}); export the file again to read the rest`;
  }
  return `corrupt gzip stream after ${context.linesDecoded} lines (${detail}); export the file again to read the rest`;
}
