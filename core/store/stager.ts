import type { CanonicalEvent, RecordOrigin } from '../events/canonical-event.js';
import type { StoredPayload } from '../ingest/stored-payload.js';

/** Appends staged rows; `lineNo` orders them (first occurrence of a messageId wins). */
export interface Stager {
  event(event: CanonicalEvent, origin: RecordOrigin, records: number, payload: StoredPayload, lineNo?: number): void;
  reject(origin: RecordOrigin, reason: string, sample: string): void;
}

export interface NormalizeSettings {
  now: number;
  maxFutureMs: number;
}
