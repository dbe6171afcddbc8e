import { stat } from 'node:fs/promises';
import { ConnectorError } from '../../../core/errors/index.js';
import type { Source, SourceMessage } from '../../../core/ingest/source.js';
import { HEAD_BYTES, headHash, parseFilesCursor, planResume, type FileProgress } from '../shared/file-cursor.js';
import { endsLine, openAt } from '../shared/file-bytes.js';
import { resolveInputFiles } from '../shared/input-files.js';
import { createLineSplitter, type SplitLine } from '../shared/line-splitter.js';
import { GA4_FILES_DEFAULTS, type Ga4FilesSourceConfig } from './ga4-files-config.js';
import { ga4LineToMessage } from './ga4-line.js';

const EXPORT_FILE = /\.(json|jsonl|ndjson)(\.gz)?$/i;
const CONNECTOR = 'source:ga4-files';

/**
 * GA4 export rows extracted to NDJSON (`bq extract` to Cloud Storage, then
 * downloaded): one row per line, plain or gzip. Resumes by file and line
 * with the shared files cursor, like segment-files; unlike it, each line is
 * mapped here (a GA4 row is not a Segment message core could bulk-load).
 */
export interface Ga4FilesOptions {
  /** Rows timestamped further ahead of the clock are rejected (the mapping's ingest.max_future). @default 86_400_000 */
  maxFutureMs?: number;
}

export function createGa4FilesSource(options: Ga4FilesOptions = {}): Source<Ga4FilesSourceConfig> {
  return {
    kind: 'source:ga4-files',
    async check(config, context) {
      await exportFiles(config, context.baseDir);
    },
    async *read(config, from, context) {
      const previous = parseFilesCursor(from);
      if (previous === null) {
        throw new ConnectorError('config', 'ga4-files.cursor_invalid',
          `source "${config.id}": the stored cursor is not a files cursor (was this source id used for another connector?)`, { connector: CONNECTOR });
      }
      const progress: Record<string, FileProgress> = { ...previous.files };
      const every = config.checkpoint_every ?? GA4_FILES_DEFAULTS.checkpointEvery;
      const maxRowBytes = config.max_row_bytes ?? GA4_FILES_DEFAULTS.maxRowBytes;
      const files = await exportFiles(config, context.baseDir);
      const now = context.now();
      for (const [index, file] of files.entries()) {
        const info = await stat(file);
        const before = progress[file];
        const plan = await planResume(before, { size: info.size, mtimeMs: info.mtimeMs, headOf: (length) => headHash(file, length) });
        if (plan.action === 'skip') continue;
        let startLine = plan.afterLine;
        let startOffset = startLine === 0 ? 0 : (before?.offset ?? 0);
        // An append must continue at a line boundary; otherwise the file was rewritten.
        if (startOffset > 0 && !file.endsWith('.gz') && !(await endsLine(file, startOffset))) {
          startLine = 0;
          startOffset = 0;
        }
        const current: FileProgress = {
          line: startLine, offset: startOffset, done: false, size: info.size, mtimeMs: info.mtimeMs,
          head: await headHash(file, Math.min(info.size, HEAD_BYTES)),
        };
        progress[file] = current;
        const checkpoint = (share: number): SourceMessage => ({ type: 'checkpoint', cursor: { files: structuredClone(progress) }, progress: share });
        const splitter = createLineSplitter(maxRowBytes, startLine, startOffset);
        let sinceCheckpoint = 0;
        const toMessages = (lines: SplitLine[]): SourceMessage[] => {
          const batch: SourceMessage[] = [];
          for (const line of lines) {
            const message = ga4LineToMessage(line, file, { now, maxRowBytes, ...(options.maxFutureMs !== undefined ? { maxFutureMs: options.maxFutureMs } : {}) });
            if (message !== null) batch.push(message);
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
            batch.push(checkpoint(index / files.length));
            sinceCheckpoint = 0;
          }
          yield batch;
        }
        const last = splitter.end();
        const tail = toMessages(last);
        const unterminated = last[0];
        if (unterminated !== undefined) {
          // A last line without newline may still be being written: resume
          // before it, so a grown file re-reads it whole (dedup absorbs a repeat).
          current.offset = unterminated.endOffset - unterminated.bytes;
          current.line = unterminated.line - 1;
        }
        current.done = true;
        tail.push(checkpoint((index + 1) / files.length));
        yield tail;
      }
    },
  };
}

async function exportFiles(config: Ga4FilesSourceConfig, baseDir: string): Promise<string[]> {
  const input = await resolveInputFiles(config.path, baseDir, { name: EXPORT_FILE, recursive: true });
  if (input.files.length === 0) {
    const what = input.kind === 'file' ? `${input.resolved} does not exist` : `no .json/.jsonl/.ndjson(.gz) file under ${input.resolved}`;
    throw new ConnectorError('config', 'ga4-files.file_missing',
      `source "${config.id}": ${what} (from path "${config.path}"; a relative path starts at the mapping file's directory)`, { connector: CONNECTOR });
  }
  return input.files;
}
