import { RAW_SAMPLE_LIMIT } from '../privacy/redact-sample.js';
import type { DuckDBValue } from '@duckdb/node-api';
import { normalizeSegmentMessage } from '../events/normalize-segment.js';
import { storedPayload } from '../ingest/stored-payload.js';
import type { NormalizeSettings, Stager } from './stager.js';

/**
 * Lines the bulk SQL path declined (unusual but maybe valid, or invalid):
 * normalized one by one with the reference normalizer, keeping their
 * staging order so the first occurrence of a messageId still wins.
 */
export function normalizeStagedFallbacks(rows: DuckDBValue[][], stager: Stager, settings: NormalizeSettings): void {
  for (const [lineNo, file, line, text] of rows) {
    const origin = { file: String(file), line: Number(line) };
    const raw = String(text);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      stager.reject(origin, `malformed JSON: ${(error as Error).message}`, raw.slice(0, RAW_SAMPLE_LIMIT));
      continue;
    }
    const result = normalizeSegmentMessage(parsed, { now: settings.now, maxFutureMs: settings.maxFutureMs }, raw);
    if (result.ok) stager.event(result.event, origin, 1, storedPayload(result.event), Number(lineNo));
    else stager.reject(origin, result.reason, raw.slice(0, RAW_SAMPLE_LIMIT));
  }
}
