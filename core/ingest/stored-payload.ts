import type { CanonicalEvent, JsonObject } from '../events/canonical-event.js';

/**
 * What the store keeps of an event beyond its columns: properties (custom
 * features), traits (identify) and consent (privacy). Library, IP and page
 * context stay in the source: keeping whole Segment messages tripled the
 * store's size for data no feature reads.
 */
export function storedPayload(event: CanonicalEvent): string {
  const payload: JsonObject = { properties: event.properties };
  if (Object.keys(event.traits).length > 0) payload.traits = event.traits;
  // An explicit `consent: null` says no more than no consent at all; both
  // are stored as absent (the bulk reader cannot tell them apart).
  const consent = event.context.consent;
  if (consent !== undefined && consent !== null) payload.consent = consent;
  return JSON.stringify(payload);
}
