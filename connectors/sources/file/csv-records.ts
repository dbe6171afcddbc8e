import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CsvError, parse } from 'csv-parse';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import { isGzipFailure } from '../shared/gzip-failure.js';
import { WHITESPACE_DELIMITER } from './csv-orders-config.js';
import { readWhitespaceRecords } from './whitespace-records.js';

export interface CsvRecordOptions {
  delimiter: string;
  encoding: 'utf8' | 'latin1';
  /** The connector named in errors, e.g. `source:csv-orders`. */
  connector: string;
  signal: AbortSignal;
}

/** One parsed CSV record and the physical lines it spans (1-based, header = 1). */
export interface CsvRecord {
  fields: string[];
  /** The record as written, line break included (for reject samples). */
  raw: string;
  /** First physical line of the record. */
  line: number;
  /** Last physical line; larger than `line` when a quoted field holds line breaks. */
  endLine: number;
}

/**
 * Guards against an unclosed quote swallowing the rest of a large file into
 * one field (and into memory).
 */
const MAX_RECORD_CHARACTERS = 1_000_000;

/**
 * Streams the records of a .csv or .csv.gz file. Line numbers are counted
 * here from each record's raw text: csv-parse's own `info.lines` counts a
 * CRLF inside a quoted field as two lines, and origins must match what an
 * editor shows.
 */
export async function* readCsvRecords(file: string, options: CsvRecordOptions): AsyncGenerator<CsvRecord> {
  if (options.delimiter === WHITESPACE_DELIMITER) {
    try {
      yield* readWhitespaceRecords(file, options);
    } catch (error) {
      if (options.signal.aborted) return;
      throw asConnectorError(error, file, 0, options);
    }
    return;
  }
  const parser = parse({
    delimiter: options.delimiter,
    encoding: options.encoding,
    bom: true,
    raw: true,
    relax_quotes: true,
    // Short and long rows are rejected one by one by the caller, not fatal.
    relax_column_count: true,
    // Empty lines still come through so that line numbers stay exact.
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_CHARACTERS,
  });
  const input = createReadStream(file, { signal: options.signal });
  // Errors reach the consumer through the parser, which pipeline destroys
  // with the first error of any stage.
  if (file.toLowerCase().endsWith('.gz')) pipeline(input, createGunzip(), parser, ignore);
  else pipeline(input, parser, ignore);

  let nextLine = 1;
  try {
    for await (const item of parser) {
      const { record, raw } = item as { record: string[]; raw: string };
      const breaks = countLineBreaks(raw);
      const line = nextLine;
      nextLine += breaks;
      yield { fields: record, raw, line, endLine: endsWithBreak(raw) ? nextLine - 1 : nextLine };
    }
  } catch (error) {
    // An abort ends the records quietly: the caller checks the signal and stops.
    if (options.signal.aborted) return;
    throw asConnectorError(error, file, nextLine, options);
  } finally {
    parser.destroy();
  }
}

/** The header record of a file, or null when the file is empty (or a .gz that does not decompress). */
export async function readCsvHeader(file: string, options: CsvRecordOptions): Promise<string[] | null> {
  try {
    for await (const record of readCsvRecords(file, options)) {
      if (record.fields.length === 1 && record.fields[0] === '') continue;
      return record.fields;
    }
  } catch (error) {
    // A .gz that does not decompress has no header to check; reading it quarantines it.
    if (isGzipFailure(error)) return null;
    throw error;
  }
  return null;
}

/** Counts CRLF, LF and lone CR as one break each. */
export function countLineBreaks(text: string): number {
  let count = 0;
  if (!text.includes('\r')) {
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
    return count;
  }
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 10) count++;
    else if (code === 13) {
      count++;
      if (text.charCodeAt(index + 1) === 10) index++;
    }
  }
  return count;
}

function endsWithBreak(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return last === 10 || last === 13;
}

function asConnectorError(error: unknown, file: string, line: number, options: CsvRecordOptions): unknown {
  if (error instanceof ConnectorError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') {
    return new ConnectorError('config', 'csv.file_missing', `${file} does not exist (it was removed while segflow was reading it?)`, {
      connector: options.connector,
      cause: error,
    });
  }
  if (error instanceof CsvError) {
    return new ConnectorError(
      'permanent',
      'csv.malformed',
      `${file}:${line}: the CSV cannot be parsed from this line on (${error.message}). Usually a quote that is never closed: fix the file and run again.`,
      { connector: options.connector, cause: error },
    );
  }
  // A damaged .gz stays a zlib error: the reader quarantines the file (see gzip-failure.ts).
  return error;
}

function ignore(): void {
  // Errors are surfaced by iterating the parser (see readCsvRecords).
}
