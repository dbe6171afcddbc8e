import type { CanonicalEvent } from '../events/canonical-event.js';

/** What the store keeps of an event beyond its columns, as JSON text. */
export interface StoredPayload {
  properties: string;
  /** Identify traits, when not empty. */
  traits: string | null;
  /** context.consent, when present. */
  consent: string | null;
}

/**
 * Properties (custom features), traits (identify) and consent (privacy).
 * Library, IP and page context stay in the source: keeping whole Segment
 * messages tripled the store's size for data no feature reads.
 */
export function storedPayload(event: CanonicalEvent): StoredPayload {
  // An explicit `consent: null` says no more than no consent at all; both
  // are stored as absent (the bulk reader cannot tell them apart).
  const consent = event.context.consent;
  return {
    properties: JSON.stringify(event.properties),
    traits: Object.keys(event.traits).length > 0 ? JSON.stringify(event.traits) : null,
    consent: consent !== undefined && consent !== null ? JSON.stringify(consent) : null,
  };
}
