import { createReadStream, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { normalizeSegmentMessage } from '../../../core/events/index.js';
import { ConnectorError } from '../../../core/errors/index.js';
import type { Source, SourceMessage } from '../../../core/ingest/source.js';
import { listInputFiles } from '../shared/list-input-files.js';
import { createLineSplitter, type SplitLine } from '../shared/line-splitter.js';
import { asFilesCursor, resumePoint, type FilesCursor } from './file-cursor.js';
import type { SegmentFilesSourceConfig } from './segment-files-config.js';

const EXTENSIONS = ['.jsonl', '.json', '.ndjson', '.jsonl.gz', '.json.gz', '.ndjson.gz', '.gz'];
const CONNECTOR = 'segment-files';

export interface SegmentFilesOptions {
  /** Longest accepted line (Segment's limit for one event is 32 KB). @default 32768 */
  maxEventBytes: number;
  /** @default 24 h */
  maxFutureMs: number;
}

/**
 * Reads Segment-spec JSONL (plain or gzip; Segment's storage export layout is
 * just directories of such files). Messages are yielded in batches per chunk
 * read, so the async-iterator overhead is paid per chunk, not per event.
 */
export function createSegmentFilesSource(options: SegmentFilesOptions): Source<SegmentFilesSourceConfig> {
  return {
    kind: 'source:segment-files',
    async check(config, context) {
      const files = listInputFiles(config.path, context.baseDir, EXTENSIONS, CONNECTOR);
      if (files.length === 0) {
        throw new ConnectorError('config', 'segment-files.no_files', `source "${config.id}": no .jsonl/.json/.gz files under "${config.path}"`);
      }
    },
    async *read(config, from, context) {
      const cursor: FilesCursor = structuredClone(asFilesCursor(from));
      const every = config.checkpoint_every ?? 200_000;
      const files = listInputFiles(config.path, context.baseDir, EXTENSIONS, CONNECTOR);
      for (const file of files) {
        const resume = resumePoint(file, cursor.files[file]);
        if (resume.skip) continue;
        const stats = statSync(file);
        const progress = { offset: resume.offset, line: resume.line, done: false, size: stats.size, mtimeMs: stats.mtimeMs };
        cursor.files[file] = progress;
        const splitter = createLineSplitter(options.maxEventBytes, resume.line, resume.offset);
        let sinceCheckpoint = 0;
        for await (const chunk of openAt(file, resume.offset)) {
          if (context.signal.aborted) return;
          const lines = splitter.push(chunk as Buffer);
          if (lines.length === 0) continue;
          const batch: SourceMessage[] = [];
          const now = context.now();
          for (const line of lines) {
            const message = lineToMessage(line, file, now, options);
            if (message) batch.push(message);
          }
          const last = lines[lines.length - 1]!;
          progress.offset = last.endOffset;
          progress.line = last.line;
          sinceCheckpoint += lines.length;
          if (sinceCheckpoint >= every) {
            batch.push({ type: 'checkpoint', cursor: structuredClone(cursor) as never });
            sinceCheckpoint = 0;
          }
          yield batch;
        }
        const tail: SourceMessage[] = [];
        for (const line of splitter.end()) {
          const message = lineToMessage(line, file, context.now(), options);
          if (message) tail.push(message);
          progress.offset = line.endOffset;
          progress.line = line.line;
        }
        progress.done = true;
        tail.push({ type: 'checkpoint', cursor: structuredClone(cursor) as never });
        yield tail;
      }
    },
  };
}

function lineToMessage(line: SplitLine, file: string, now: number, options: SegmentFilesOptions): SourceMessage | null {
  const origin = { file, line: line.line };
  if (line.text === null) {
    return { type: 'reject', origin, reason: `line is ${line.bytes} bytes; the limit is ${options.maxEventBytes} (ingest.max_event_bytes)`, sample: '' };
  }
  if (line.text.trim() === '') return null; // blank lines carry nothing
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.text);
  } catch (error) {
    return { type: 'reject', origin, reason: `malformed JSON: ${(error as Error).message}`, sample: line.text.slice(0, 200) };
  }
  const result = normalizeSegmentMessage(parsed, { now, maxFutureMs: options.maxFutureMs }, line.text);
  if (result.ok) return { type: 'event', event: result.event, origin };
  return { type: 'reject', origin, reason: result.reason, sample: line.text.slice(0, 200) };
}

/** A byte stream of the file's (uncompressed) content from `offset`. */
function openAt(file: string, offset: number): AsyncIterable<Buffer> {
  const highWaterMark = 1 << 20;
  if (!file.endsWith('.gz')) return createReadStream(file, { start: offset, highWaterMark });
  const gunzip = createReadStream(file, { highWaterMark }).pipe(createGunzip({ chunkSize: highWaterMark }));
  return offset === 0 ? gunzip : skipBytes(gunzip, offset);
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
