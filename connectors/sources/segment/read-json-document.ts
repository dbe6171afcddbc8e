import type { SourceMessage } from '../../../core/ingest/source.js';
import { describeGzipFailure, isGzipFailure } from '../shared/gzip-failure.js';
import { isGzipFile, readHeadText, readWholeText } from '../shared/file-bytes.js';
import { looksLikeJsonDocument, splitJsonDocument } from './json-document.js';

const DOCUMENT_FILE = /\.json(\.gz)?$/i;
/** Enough of the file to see whether its first line is a whole JSON value. */
const HEAD_CHARACTERS = 64 * 1024;
/** A document is parsed whole; beyond this, JSON Lines is the format that scales. */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

/** Whether a file is a `.json` document (array, object, batch) rather than JSON Lines. */
export async function isJsonDocumentFile(file: string): Promise<boolean> {
  if (!DOCUMENT_FILE.test(file)) return false;
  return looksLikeJsonDocument(await readHeadText(file, HEAD_CHARACTERS));
}

/**
 * The messages of a document file, each checked against the event size
 * limit, or one rejection for the whole file when it cannot be read as a
 * document (invalid JSON, not messages, too large, damaged gzip).
 */
export async function readJsonDocument(file: string, fileBytes: number, maxEventBytes: number): Promise<SourceMessage[]> {
  const rejectFile = (reason: string): SourceMessage[] => [{ type: 'reject', origin: { file, line: 1 }, reason, sample: '' }];
  let content: Awaited<ReturnType<typeof readWholeText>>;
  try {
    content = await readWholeText(file, MAX_DOCUMENT_BYTES);
  } catch (error) {
    if (isGzipFile(file) && isGzipFailure(error)) return rejectFile(describeGzipFailure(error, { fileBytes, linesDecoded: 0 }));
    throw error;
  }
  if ('tooLarge' in content) {
    return rejectFile(`a JSON document over ${MAX_DOCUMENT_BYTES / (1024 * 1024)} MiB is not read whole; write it as JSON Lines (one message per line)`);
  }
  const split = splitJsonDocument(content.text.replace(/^\uFEFF/, ''));
  if (!split.ok) return rejectFile(split.reason);
  return split.records.map((record): SourceMessage => {
    const origin = { file, line: record.line };
    const bytes = Buffer.byteLength(record.text);
    if (bytes > maxEventBytes) {
      return { type: 'reject', origin, reason: `message is ${bytes} bytes as compact JSON; the limit is ${maxEventBytes} (ingest.max_event_bytes)`, sample: '' };
    }
    return { type: 'segment-json', origin, text: record.text };
  });
}
