import { RAW_SAMPLE_LIMIT } from '../../../core/privacy/redact-sample.js';
import type { JsonValue } from '../../../core/events/canonical-event.js';
import { describeValue, toCanonicalEvent, type Mapped } from './mixpanel-event.js';

/** Longest `sample` kept with a rejected line: enough to recognise it, not a second copy of the export. */

/**
 * One line of a Raw Export response → a canonical event, or the reason it
 * cannot be one. Total: any string gives one or the other, never a throw
 * (property-tested), because one odd line must not stop a day's import.
 */
export function parseExportLine(text: string, projectId: string): Mapped {
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `expected a JSON object {"event", "properties"}, got ${describeValue(value)}` };
  }
  const { event, properties } = value;
  if (typeof event !== 'string' || event.trim() === '') return { ok: false, reason: `"event" must be a non-empty string, got ${describeValue(event)}` };
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
    return { ok: false, reason: `"properties" must be an object, got ${describeValue(properties)}` };
  }
  return toCanonicalEvent({ event, properties }, projectId);
}

export function rejectSample(text: string): string {
  // Redacted, then cut to length, when stored (core/privacy/redact-sample.ts).
  return text.length > RAW_SAMPLE_LIMIT ? text.slice(0, RAW_SAMPLE_LIMIT) : text;
}
