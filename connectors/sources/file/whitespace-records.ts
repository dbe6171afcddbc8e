import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { CsvRecord } from './csv-records.js';

const FIELD_SEPARATOR = /[ \t]+/;

/**
 * Records of a whitespace-separated file (`delimiter: whitespace`): aligned
 * text exports where runs of spaces or tabs separate fields. csv-parse takes
 * one delimiter string, and a run of spaces would become empty fields. There
 * is no quoting, so a record is one physical line; a blank line is one empty
 * field, as csv-parse reports it (the reader skips it).
 */
export async function* readWhitespaceRecords(file: string, options: { encoding: 'utf8' | 'latin1'; signal: AbortSignal }): AsyncGenerator<CsvRecord> {
  const input: Readable = createReadStream(file, { signal: options.signal });
  const stream = file.toLowerCase().endsWith('.gz') ? input.pipe(createGunzip()) : input;
  // Errors of the file stream reach the consumer through the gunzip stream.
  if (stream !== input) input.on('error', (error) => stream.destroy(error));
  const decoder = new StringDecoder(options.encoding);
  let pending = '';
  let line = 0;
  const record = (text: string): CsvRecord => {
    line++;
    const content = text.replace(/\r$/, '');
    const fields = content.trim() === '' ? [''] : content.trim().split(FIELD_SEPARATOR);
    return { fields, raw: `${text}\n`, line, endLine: line };
  };
  for await (const chunk of stream) {
    pending += decoder.write(chunk as Buffer);
    if (line === 0 && pending.charCodeAt(0) === 0xfeff) pending = pending.slice(1);
    let newline = pending.indexOf('\n');
    let start = 0;
    while (newline !== -1) {
      yield record(pending.slice(start, newline));
      start = newline + 1;
      newline = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
  }
  pending += decoder.end();
  if (pending !== '') yield record(pending);
}
