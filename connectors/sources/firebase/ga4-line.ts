import type { SourceMessage } from '../../../core/ingest/source.js';
import type { SplitLine } from '../shared/line-splitter.js';
import { ga4RecordToEvent } from './ga4-event.js';

const SAMPLE_CHARACTERS = 200;

export interface Ga4LineOptions {
  now: number;
  maxRowBytes: number;
  /** @default 86_400_000 */
  maxFutureMs?: number;
}

/**
 * One NDJSON line of a GA4 export → an event, a reject saying why, or
 * nothing (a blank line). Pure and total: no input makes it throw.
 */
export function ga4LineToMessage(line: SplitLine, file: string, options: Ga4LineOptions): SourceMessage | null {
  const origin = { file, line: line.line };
  if (line.text === null) {
    return { type: 'reject', origin, reason: `line is ${line.bytes} bytes; the limit is ${options.maxRowBytes} (max_row_bytes)`, sample: '' };
  }
  if (line.text.trim() === '') return null;
  const sample = line.text.slice(0, SAMPLE_CHARACTERS);
  let decoded: unknown;
  try {
    decoded = JSON.parse(line.text);
  } catch (error) {
    return { type: 'reject', origin, reason: `not valid JSON: ${(error as Error).message}`, sample };
  }
  const result = ga4RecordToEvent(decoded, { now: options.now, ...(options.maxFutureMs !== undefined ? { maxFutureMs: options.maxFutureMs } : {}) });
  return result.ok ? { type: 'event', event: result.event, origin } : { type: 'reject', origin, reason: result.reason, sample };
}
