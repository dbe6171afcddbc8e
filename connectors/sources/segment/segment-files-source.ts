import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { ConnectorError } from '../../../core/errors/index.js';
import type { Source, SourceMessage } from '../../../core/ingest/source.js';
import { HEAD_BYTES, headHash, parseFilesCursor, planResume, type FileProgress } from '../shared/file-cursor.js';
import { resolveInputFiles, type InputFiles } from '../shared/input-files.js';
import { createLineSplitter, type SplitLine } from '../shared/line-splitter.js';
import type { SegmentFilesSourceConfig } from './segment-files-config.js';

const EVENT_FILE = /\.(jsonl|json|ndjson)(\.gz)?$/i;
const CONNECTOR = 'segment-files';

export interface SegmentFilesOptions {
  /** Longest accepted line (Segment's limit for one event is 32 KB). @default 32768 */
  maxEventBytes: number;
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
      await inputFiles(config, context.baseDir);
    },
    async *read(config, from, context) {
      const previous = parseFilesCursor(from);
      if (previous === null) {
        throw new ConnectorError('config', 'segment-files.cursor_invalid',
          `source "${config.id}": the stored cursor is not a segment-files cursor (was this source id used for another connector?)`, { connector: CONNECTOR });
      }
      // Entries of files no longer matched are kept: a file that comes back unchanged is not read twice.
      const progress: Record<string, FileProgress> = { ...previous.files };
      const every = config.checkpoint_every ?? 200_000;
      const checkpoint = (): SourceMessage => ({ type: 'checkpoint', cursor: { files: structuredClone(progress) } });
      for (const file of (await inputFiles(config, context.baseDir)).files) {
        const info = await stat(file);
        const before = progress[file];
        const plan = await planResume(before, { size: info.size, mtimeMs: info.mtimeMs, headOf: (length) => headHash(file, length) });
        if (plan.action === 'skip') continue;
        let startLine = plan.afterLine;
        let startOffset = startLine === 0 ? 0 : (before?.offset ?? 0);
        // An "append" must continue exactly at a line boundary; if the byte
        // before the stored offset is not a newline the file was rewritten.
        if (startOffset > 0 && !file.endsWith('.gz') && !(await endsLine(file, startOffset))) {
          startLine = 0;
          startOffset = 0;
        }
        const current: FileProgress = {
          line: startLine, offset: startOffset, done: false, size: info.size, mtimeMs: info.mtimeMs,
          head: await headHash(file, Math.min(info.size, HEAD_BYTES)),
        };
        progress[file] = current;
        if (startOffset === 0 && config.bulk_load !== false && context.bulkLoadSegmentFile) {
          const scan = await scanLines(file, options.maxEventBytes);
          if (scan.clean) {
            progress[file] = { ...current, line: scan.lines, offset: scan.bytes, done: true };
            const loaded = await context.bulkLoadSegmentFile({ file, records: scan.records, cursor: { files: structuredClone(progress) } });
            if (loaded) continue;
            progress[file] = current;
          }
        }
        const splitter = createLineSplitter(options.maxEventBytes, startLine, startOffset);
        let sinceCheckpoint = 0;
        const toMessages = (lines: SplitLine[]): SourceMessage[] => {
          const batch: SourceMessage[] = [];
          for (const line of lines) {
            const message = lineToMessage(line, file, options);
            if (message) batch.push(message);
            current.offset = line.endOffset;
            current.line = line.line;
          }
          return batch;
        };
        for await (const chunk of openAt(file, startOffset)) {
          if (context.signal.aborted) return;
          const lines = splitter.push(chunk);
          if (lines.length === 0) continue;
          const batch = toMessages(lines);
          sinceCheckpoint += lines.length;
          if (sinceCheckpoint >= every) {
            batch.push(checkpoint());
            sinceCheckpoint = 0;
          }
          yield batch;
        }
        const last = splitter.end();
        const tail = toMessages(last);
        const unterminated = last[0];
        if (unterminated !== undefined) {
          // A last line without newline may be half-written by an exporter
          // still appending: resume before it, so a grown file re-reads it
          // whole (dedup makes the re-read harmless if it was complete).
          current.offset = unterminated.endOffset - unterminated.bytes;
          current.line = unterminated.line - 1;
        }
        current.done = true;
        tail.push(checkpoint());
        yield tail;
      }
    },
  };
}

async function inputFiles(config: SegmentFilesSourceConfig, baseDir: string): Promise<InputFiles> {
  const input = await resolveInputFiles(config.path, baseDir, { name: EVENT_FILE, recursive: true });
  if (input.files.length === 0) {
    const what = input.kind === 'file' ? `${input.resolved} does not exist` : `no .jsonl/.json/.ndjson(.gz) file under ${input.resolved}`;
    throw new ConnectorError('config', 'segment-files.file_missing',
      `source "${config.id}": ${what} (from path "${config.path}"; a relative path starts at the mapping file's directory)`, { connector: CONNECTOR });
  }
  return input;
}

/**
 * Framing only: the line's JSON is parsed and normalized by core in bulk
 * (DuckDB), which is several times faster than JSON.parse here.
 */
function lineToMessage(line: SplitLine, file: string, options: SegmentFilesOptions): SourceMessage | null {
  const origin = { file, line: line.line };
  if (line.text === null) {
    return { type: 'reject', origin, reason: `line is ${line.bytes} bytes; the limit is ${options.maxEventBytes} (ingest.max_event_bytes)`, sample: '' };
  }
  if (line.text.trim() === '') return null; // blank lines carry nothing
  return { type: 'segment-json', origin, text: line.text };
}

/**
 * Counts a file's records (non-blank lines) at memchr speed and says whether
 * the bulk path may try it: no line over the size limit, no byte-order mark,
 * no blank line, a newline at the end (a half-written last line needs the
 * careful path).
 */
async function scanLines(file: string, maxLineBytes: number): Promise<{ clean: boolean; records: number; lines: number; bytes: number }> {
  let records = 0;
  let lines = 0;
  let bytes = 0;
  let lineLength = 0;
  let longest = 0;
  let bom = false;
  let lastByte = -1;
  for await (const chunk of openAt(file, 0)) {
    if (bytes === 0 && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) bom = true;
    let start = 0;
    let newline = chunk.indexOf(10, start);
    while (newline !== -1) {
      const length = lineLength + newline - start;
      lines++;
      if (length > 0 && !(length === 1 && chunk[newline - 1] === 13)) records++;
      if (length > longest) longest = length;
      lineLength = 0;
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    lineLength += chunk.length - start;
    bytes += chunk.length;
    if (chunk.length > 0) lastByte = chunk[chunk.length - 1]!;
  }
  // Blank lines would shift the reader's record numbers off the line numbers.
  const clean = !bom && lineLength === 0 && lastByte === 10 && longest <= maxLineBytes && records > 0 && records === lines;
  return { clean, records, lines, bytes };
}

async function endsLine(file: string, offset: number): Promise<boolean> {
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
