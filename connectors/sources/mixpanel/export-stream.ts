import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { createLineSplitter, type SplitLine } from '../shared/line-splitter.js';

/**
 * A response body that ended before its end: a truncated gzip stream, a
 * connection that closed mid-body, a body that is not gzip at all. The
 * message is written for the quarantine report; the zlib or socket error is
 * kept as the cause, never shown.
 */
export class ExportStreamError extends Error {
  override readonly name = 'ExportStreamError';
  constructor(message: string, readonly linesRead: number, options: { cause: unknown }) {
    super(message, options);
  }
}

/**
 * The lines of one export body, a batch per decompressed chunk: memory stays
 * at one chunk plus one line however large the day is. The unterminated
 * last line of a body that ended cleanly is a line like the others.
 */
export async function* exportLines(body: Readable, gzip: boolean, maxLineBytes: number): AsyncGenerator<SplitLine[]> {
  const splitter = createLineSplitter(maxLineBytes);
  let lines = 0;
  // Strict gunzip (the default Z_FINISH): a stream cut short fails with
  // "unexpected end of file" instead of ending quietly.
  const bytes: Readable = gzip ? body.pipe(createGunzip()) : body;
  // pipe() does not forward the source's errors: a reset connection would
  // otherwise leave the gunzip waiting for bytes that never come.
  if (gzip) body.once('error', (error) => bytes.destroy(error));
  try {
    for await (const chunk of bytes) {
      const batch = splitter.push(chunk as Buffer);
      lines += batch.length;
      if (batch.length > 0) yield batch;
    }
  } catch (error) {
    throw new ExportStreamError(describeStreamFailure(error, gzip, lines), lines, { cause: error });
  } finally {
    body.destroy();
    if (bytes !== body) bytes.destroy();
  }
  const last = splitter.end();
  if (last.length > 0) yield last;
}

function describeStreamFailure(error: unknown, gzip: boolean, lines: number): string {
  const code = (error as { code?: unknown } | null)?.code;
  const after = `after ${lines} complete line${lines === 1 ? '' : 's'}`;
  if (code === 'Z_BUF_ERROR') return `the gzip response ended before its end (truncated) ${after}`;
  if (code === 'Z_DATA_ERROR') return `the response is not valid gzip data ${after}`;
  if (code === 'ETIMEDOUT') return `the response stalled ${after} (${(error as Error).message})`;
  if (code === 'ECONNRESET' || code === 'ECONNABORTED' || code === 'UND_ERR_SOCKET' || (error as Error | null)?.message === 'aborted') {
    return `the connection closed in the middle of the response ${after}`;
  }
  const what = gzip ? 'the gzip response' : 'the response';
  return `${what} failed ${after} (${typeof code === 'string' ? code : 'stream error'})`;
}
