/**
 * The one event model every source maps into: a superset of the Segment spec
 * (https://segment.com/docs/connections/spec/common/). Timestamps are epoch
 * milliseconds (UTC) because millions of them pass through the ingest loop and
 * numbers cost nothing to compare or store; Date objects do.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const EVENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface CanonicalEvent {
  /** Unique per event; the dedup key. Sources without one derive a stable id. */
  messageId: string;
  type: EventType;
  /** Track event name (`Order Completed`); page/screen name; null otherwise. */
  event: string | null;
  userId: string | null;
  anonymousId: string | null;
  /** `context.device.id` (mobile) or a source's own device id. */
  deviceId: string | null;
  /** For `alias` events: the identity being merged into `userId`. */
  previousId: string | null;
  /** When it happened, after Segment's clock-skew correction. */
  timestamp: number;
  /** When the collector received it, when known. */
  receivedAt: number | null;
  /**
   * Hot fields lifted from properties at ingest so feature SQL does not parse
   * JSON for every row: revenue (`revenue`, else `total`, else sum of products),
   * order id and product category.
   */
  revenue: number | null;
  orderId: string | null;
  category: string | null;
  properties: JsonObject;
  traits: JsonObject;
  /** Includes `consent.categoryPreferences` (Segment Consent Management). */
  context: JsonObject;
}

/** Where a record came from, for quarantine reports and error messages. */
export interface RecordOrigin {
  /** File path (or URL / API name) as the user would recognise it. */
  file: string;
  /** 1-based line (JSONL) or row (CSV, header = line 1) number. */
  line: number;
}
