import { RAW_SAMPLE_LIMIT } from '../../../core/privacy/redact-sample.js';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { SourceMessage } from '../../../core/ingest/source.js';
import { describeMissingColumns, layoutColumns, type ColumnLayout } from './column-layout.js';
import type { CsvOrdersSettings } from './csv-orders-config.js';
import { readCsvRecords, type CsvRecord } from './csv-records.js';
import { buildOrderEvent, type OrderBlock } from './order-event.js';
import { isRefund, readOrderLine, type OrderLineRules } from './order-line.js';
import { createTimestampParser } from './order-timestamp.js';
import { describeGzipFailure, isGzipFailure } from '../shared/gzip-failure.js';

export interface ReadOrderFileOptions {
  settings: CsvOrdersSettings;
  /** Rows ending on or before this physical line were handled by an earlier run. */
  afterLine: number;
  signal: AbortSignal;
  connector: string;
  /** Compressed size on disk, for the reason of a damaged .gz. */
  fileBytes: number;
  /** Records the file's progress and returns the checkpoint message to yield. */
  checkpoint: (line: number, done: boolean) => SourceMessage;
}


/**
 * Reads one export: consecutive rows with the same order id become one event,
 * each bad row becomes its own rejection. A checkpoint is yielded only
 * between two orders (never inside one, so a resumed read rebuilds whole
 * orders) and at the end of the file. Rows without a usable order id (wrong
 * column count, empty id) are rejected without ending the current order.
 * On abort it returns without another message: the last checkpoint stands.
 */
export async function* readOrderFile(file: string, options: ReadOrderFileOptions): AsyncGenerator<SourceMessage> {
  const { settings, signal } = options;
  const parseTimestamp = createTimestampParser(settings.timestampFormat, settings.offsetMinutes);
  let rules: OrderLineRules | null = null;
  let block: OrderBlock | null = null;
  let lastLine = 0;
  let orders = 0;

  const records = readCsvRecords(file, { delimiter: settings.delimiter, encoding: settings.encoding, connector: options.connector, signal });
  try {
    for await (const record of records) {
      if (signal.aborted) return;
      if (isBlank(record.fields)) {
        lastLine = record.endLine;
        continue;
      }
      if (rules === null) {
        // The header is read even when resuming: it locates the columns.
        rules = headerRules(file, record.fields, settings, parseTimestamp, options.connector);
        lastLine = record.endLine;
        continue;
      }
      if (record.endLine <= options.afterLine) {
        lastLine = record.endLine;
        continue;
      }

      const verdict = readOrderLine(record.fields, rules);
      if (verdict.orderId !== null && block !== null && verdict.orderId !== block.orderId) {
        if (block.lines.length > 0) yield orderMessage(file, block, settings, rules.layout);
        block = null;
        if (++orders >= settings.checkpointEvery) {
          orders = 0;
          yield options.checkpoint(lastLine, false);
        }
      }
      if (verdict.orderId !== null && block === null) {
        block = { orderId: verdict.orderId, refund: isRefund(verdict.orderId, settings.refundPrefix), firstLine: record.line, lines: [] };
      }
      if (!verdict.ok) yield rejectMessage(file, record, verdict.reason);
      else if (block !== null && block.lines.length > 0 && block.lines[0].customerId !== verdict.line.customerId) {
        yield rejectMessage(file, record, `customer id "${verdict.line.customerId}" differs from the order's customer "${block.lines[0].customerId}"`);
      } else block?.lines.push(verdict.line);
      lastLine = record.endLine;
    }
  } catch (error) {
    if (!isGzipFailure(error)) throw error;
    // The order open at the damage may be cut short: it is dropped (not
    // stored with a wrong total under the id its complete version will have),
    // and the checkpoint stops before it, so a completed file re-reads it.
    const keptUpTo = block === null ? lastLine : block.firstLine - 1;
    yield { type: 'reject', origin: { file, line: lastLine + 1 }, reason: describeGzipFailure(error, { fileBytes: options.fileBytes, linesDecoded: lastLine }), sample: '' };
    yield options.checkpoint(Math.max(options.afterLine, keptUpTo), true);
    return;
  }
  // Records also end early on abort: the file is then not done, and the open order is not complete.
  if (signal.aborted) return;
  if (block !== null && block.lines.length > 0 && rules !== null) yield orderMessage(file, block, settings, rules.layout);
  yield options.checkpoint(lastLine, true);
}

function headerRules(
  file: string,
  header: string[],
  settings: CsvOrdersSettings,
  parseTimestamp: (text: string) => number | null,
  connector: string,
): OrderLineRules {
  const result = layoutColumns(header, settings.columns, settings.properties);
  if (!result.ok) {
    throw new ConnectorError('config', 'csv.column_missing', describeMissingColumns(file, result.missing, header), { connector });
  }
  return { layout: result.layout, header, refundPrefix: settings.refundPrefix, timestampFormat: settings.timestampFormat, parseTimestamp };
}

function orderMessage(file: string, block: OrderBlock, settings: CsvOrdersSettings, layout: ColumnLayout): SourceMessage {
  const event = buildOrderEvent(block, { sourceId: settings.sourceId, layout, currency: settings.currency });
  return { type: 'event', event, origin: { file, line: block.firstLine }, records: block.lines.length };
}

function rejectMessage(file: string, record: CsvRecord, reason: string): SourceMessage {
  const sample = record.raw.replace(/\r?\n$|\r$/, '').slice(0, RAW_SAMPLE_LIMIT);
  return { type: 'reject', origin: { file, line: record.line }, reason, sample };
}

/** An empty line, or a row of empty cells (spreadsheets pad exports with `,,,,`). */
function isBlank(fields: readonly string[]): boolean {
  // Fast exit: almost every row starts with a non-empty cell.
  if (fields[0].trim() !== '') return false;
  return fields.every((field) => field.trim() === '');
}
