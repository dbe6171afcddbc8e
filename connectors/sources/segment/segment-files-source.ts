import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { ConnectorError } from '../../../core/errors/index.js';
import type { Source, SourceMessage } from '../../../core/ingest/source.js';
import { HEAD_BYTES, headHash, parseFilesCursor, planResume, type FileProgress } from '../shared/file-cursor.js';
import { describeGzipFailure, isGzipFailure } from '../shared/gzip-failure.js';
import { resolveInputFiles, type InputFiles } from '../shared/input-files.js';
import { createLineSplitter, type SplitLine } from '../shared/line-splitter.js';
import type { SegmentFilesSourceConfig } from './segment-files-config.js';
import { bulkEligible, countLines, endsLine, isGzipFile, openAt } from '../shared/file-bytes.js';
import { isJsonDocumentFile, readJsonDocument } from './read-json-document.js';

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
      const files = (await inputFiles(config, context.baseDir)).files;
      // Progress by compressed bytes on disk: exact for plain files, per file for gzip.
      const stats = new Map<string, Stats>();
      for (const file of files) stats.set(file, await stat(file));
      const totalBytes = [...stats.values()].reduce((sum, info) => sum + info.size, 0) || 1;
      let doneBytes = 0;
      const fraction = (file: string, offset: number) => Math.min(1, (doneBytes + (isGzipFile(file) ? 0 : offset)) / totalBytes);
      let currentFile = '';
      const checkpoint = (): SourceMessage => ({
        type: 'checkpoint', cursor: { files: structuredClone(progress) }, progress: fraction(currentFile, progress[currentFile]?.offset ?? 0),
      });
      for (const file of files) {
        currentFile = file;
        const info = stats.get(file)!;
        const before = progress[file];
        const plan = await planResume(before, { size: info.size, mtimeMs: info.mtimeMs, headOf: (length) => headHash(file, length) });
        if (plan.action === 'skip') {
          doneBytes += info.size;
          continue;
        }
        let startLine = plan.afterLine;
        let startOffset = startLine === 0 ? 0 : (before?.offset ?? 0);
        if (startLine < 0) startLine = await countLines(file, startOffset);
        // An "append" must continue exactly at a line boundary; if the byte
        // before the stored offset is not a newline the file was rewritten.
        if (startOffset > 0 && !isGzipFile(file) && !(await endsLine(file, startOffset))) {
          startLine = 0;
          startOffset = 0;
        }
        const current: FileProgress = {
          line: startLine, offset: startOffset, done: false, size: info.size, mtimeMs: info.mtimeMs,
          head: await headHash(file, Math.min(info.size, HEAD_BYTES)),
        };
        progress[file] = current;
        if (await isJsonDocumentFile(file)) {
          // Read whole every time it changes (dedup absorbs the repeats); from the top if it becomes JSON Lines.
          progress[file] = { ...current, line: 0, offset: 0, done: true };
          const batch = await readJsonDocument(file, info.size, options.maxEventBytes);
          doneBytes += info.size;
          batch.push({ type: 'checkpoint', cursor: { files: structuredClone(progress) }, progress: Math.min(1, doneBytes / totalBytes) });
          yield batch;
          continue;
        }
        if (startOffset === 0 && config.bulk_load !== false && context.bulkLoadSegmentFile && (await bulkEligible(file, info.size))) {
          // Lines are not counted here (that pass cost as much as the load);
          // a later append resumes at the byte offset and counts then. A
          // gzip file that grows is read again from the start (dedup absorbs it).
          progress[file] = isGzipFile(file)
            ? { ...current, line: 0, offset: 0, done: true }
            : { ...current, line: -1, offset: info.size, done: true };
          const loaded = await context.bulkLoadSegmentFile({
            file, maxRecordBytes: options.maxEventBytes, cursor: { files: structuredClone(progress) },
            progress: Math.min(1, (doneBytes + info.size) / totalBytes),
          });
          if (loaded) {
            doneBytes += info.size;
            continue;
          }
          progress[file] = current;
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
        let damage: unknown;
        try {
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
        } catch (error) {
          if (!isGzipFile(file) || !isGzipFailure(error)) throw error;
          damage = error;
        }
        if (damage !== undefined) {
          // The lines before the damage were yielded; the cut-off one is dropped.
          // Done, so later runs skip the file until it changes (see gzip-failure.ts).
          current.done = true;
          doneBytes += info.size;
          yield [
            { type: 'reject', origin: { file, line: current.line + 1 }, reason: describeGzipFailure(damage, { fileBytes: info.size, linesDecoded: current.line }), sample: '' },
            { type: 'checkpoint', cursor: { files: structuredClone(progress) }, progress: Math.min(1, doneBytes / totalBytes) },
          ];
          continue;
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
        doneBytes += info.size;
        tail.push({ type: 'checkpoint', cursor: { files: structuredClone(progress) }, progress: Math.min(1, doneBytes / totalBytes) });
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
