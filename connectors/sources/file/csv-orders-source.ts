import { stat } from 'node:fs/promises';
import type { JsonValue } from '../../../core/events/canonical-event.js';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { Source, SourceContext, SourceMessage } from '../../../core/ingest/source.js';
import { describeMissingColumns, layoutColumns } from './column-layout.js';
import { CsvOrdersSourceSchema, resolveCsvOrdersSettings, WHITESPACE_DELIMITER, type CsvOrdersSettings, type CsvOrdersSourceConfig } from './csv-orders-config.js';
import { readCsvHeader, type CsvRecordOptions } from './csv-records.js';
import { HEAD_BYTES, headHash, parseFilesCursor, planResume, type FileProgress } from '../shared/file-cursor.js';
import { resolveInputFiles, type InputFiles } from '../shared/input-files.js';
import { readOrderFile } from './read-order-file.js';

const KIND = 'source:csv-orders';

/**
 * CSV order / POS exports (one row per order line) as `Order Completed` and
 * `Order Refunded` events. The cursor records, per absolute file path, the
 * last fully handled line plus size/mtime/first-bytes hash; see `planResume`
 * for how a changed file is read again. An aborted read returns promptly
 * without a further message (the last checkpoint yielded stands).
 */
export function createCsvOrdersSource(): Source<CsvOrdersSourceConfig> {
  return {
    kind: KIND,

    async check(config, context) {
      const settings = validSettings(config);
      const input = await inputFiles(settings, context.baseDir);
      for (const file of input.files) {
        context.signal.throwIfAborted();
        const header = await readCsvHeader(file, csvOptions(settings, context.signal));
        context.signal.throwIfAborted();
        // An empty file (not even a header) has nothing to import and nothing to check.
        if (header === null) continue;
        const layout = layoutColumns(header, settings.columns, settings.properties);
        if (!layout.ok) {
          throw new ConnectorError('config', 'csv.column_missing', describeMissingColumns(file, layout.missing, header), { connector: KIND });
        }
      }
    },

    read(config, from, context) {
      return readOrders(config, from, context);
    },
  };
}

async function* readOrders(config: CsvOrdersSourceConfig, from: JsonValue | undefined, context: SourceContext): AsyncGenerator<SourceMessage> {
  const settings = validSettings(config);
  const previous = parseFilesCursor(from);
  if (previous === null) {
    throw new ConnectorError(
      'config',
      'csv.cursor_invalid',
      `source "${settings.sourceId}": the stored cursor is not a csv-orders cursor (was this source id used for another connector?). Reset this source's state to read the files again.`,
      { connector: KIND },
    );
  }
  // Entries of files no longer matched are kept: a file that comes back unchanged is not read twice.
  const progress: Record<string, FileProgress> = { ...previous.files };
  const input = await inputFiles(settings, context.baseDir);
  for (const [index, file] of input.files.entries()) {
    if (context.signal.aborted) return;
    const info = await stat(file).catch(() => null);
    if (info === null) throw fileMissing(settings, { files: [], kind: 'file', resolved: file });
    const plan = await planResume(progress[file], { size: info.size, mtimeMs: info.mtimeMs, headOf: (length) => headHash(file, length) });
    if (plan.action === 'skip') continue;
    const head = await headHash(file, Math.min(info.size, HEAD_BYTES));
    yield* readOrderFile(file, {
      settings,
      afterLine: plan.afterLine,
      fileBytes: info.size,
      signal: context.signal,
      connector: KIND,
      checkpoint: (line, done) => {
        progress[file] = { line, done, size: info.size, mtimeMs: info.mtimeMs, head };
        // Progress by files (the parser does not expose byte positions).
        return { type: 'checkpoint', cursor: { files: { ...progress } }, progress: (index + (done ? 1 : 0.5)) / input.files.length };
      },
    });
  }
}

function validSettings(config: CsvOrdersSourceConfig): CsvOrdersSettings {
  const parsed = CsvOrdersSourceSchema.safeParse(config);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConnectorError('config', 'csv.config_invalid', `csv-orders source: ${issues.join('; ')}`, { connector: KIND });
  }
  return resolveCsvOrdersSettings(parsed.data);
}

async function inputFiles(settings: CsvOrdersSettings, baseDir: string): Promise<InputFiles> {
  const input = await resolveInputFiles(settings.path, baseDir, { name: exportFiles(settings).name, recursive: false });
  if (input.files.length === 0) throw fileMissing(settings, input);
  return input;
}

function fileMissing(settings: CsvOrdersSettings, input: InputFiles): ConnectorError {
  const what =
    input.kind === 'glob'
      ? `no ${exportFiles(settings).label} file matches ${input.resolved}`
      : input.kind === 'directory'
        ? `no ${exportFiles(settings).label} file in directory ${input.resolved}`
        : `${input.resolved} does not exist`;
  return new ConnectorError(
    'config',
    'csv.file_missing',
    `source "${settings.sourceId}": ${what} (from path "${settings.path}"; a relative path starts at the mapping file's directory). Fix "path" or put the export there.`,
    { connector: KIND },
  );
}

/**
 * Which names a directory or glob picks up. Tab- and whitespace-separated
 * exports are often .tsv or .txt; a comma-separated export is .csv (a
 * directory's README.txt must not be read as orders).
 */
function exportFiles(settings: CsvOrdersSettings): { name: RegExp; label: string } {
  if (settings.delimiter === '\t' || settings.delimiter === WHITESPACE_DELIMITER) return { name: /\.(csv|tsv|txt)(\.gz)?$/i, label: '.csv, .tsv or .txt (optionally .gz)' };
  return { name: /\.csv(\.gz)?$/i, label: '.csv or .csv.gz' };
}

function csvOptions(settings: CsvOrdersSettings, signal: AbortSignal): CsvRecordOptions {
  return { delimiter: settings.delimiter, encoding: settings.encoding, connector: KIND, signal };
}
