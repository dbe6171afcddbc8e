import { maskPii } from '../privacy/mask-pii.js';
/**
 * Segment's clock-skew rule: when the device's clock is wrong, `timestamp` is
 * re-based on the server's clock:
 *   timestamp = receivedAt - (sentAt - originalTimestamp)
 * (https://segment.com/docs/connections/spec/common/#timestamp-overview).
 * Without all three, the best field available wins.
 */
export interface SegmentTimes {
  timestamp: number | null;
  originalTimestamp: number | null;
  sentAt: number | null;
  receivedAt: number | null;
}

export function correctedTimestamp(times: SegmentTimes): number | null {
  const { originalTimestamp, sentAt, receivedAt } = times;
  if (originalTimestamp !== null && sentAt !== null && receivedAt !== null) {
    return receivedAt - (sentAt - originalTimestamp);
  }
  return times.timestamp ?? originalTimestamp ?? receivedAt;
}

const ISO_PREFIX = /^\d{4}-\d{2}-\d{2}/;

/** Parses an ISO-8601 string; returns a reason when it is not one. */
export function parseIsoTime(value: unknown, field: string): number | null | { reason: string } {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return { reason: `${field} must be an ISO-8601 string, got ${typeName(value)}` };
  if (!ISO_PREFIX.test(value)) return { reason: `${field} "${clip(value)}" is not an ISO-8601 date` };
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return { reason: `${field} "${clip(value)}" is not a valid date` };
  return ms;
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The refused value as the reason quotes it: masked first, then cut (a cut phone number no longer looks like one). */
function clip(text: string): string {
  return maskPii(text, { maxChars: 41 });
}
