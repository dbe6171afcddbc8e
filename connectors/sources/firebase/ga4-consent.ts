import type { JsonObject } from '../../../core/events/canonical-event.js';
import type { Ga4Row } from './ga4-row.js';

/**
 * GA4 consent mode → Segment Consent Management, the consent model core
 * enforces (`context.consent.categoryPreferences`, see core/privacy/consent-decision.ts):
 *
 * - `privacy_info.analytics_storage` 'Yes' | 'No' → `Analytics` true | false;
 * - `privacy_info.ads_storage` 'Yes' | 'No' → `Advertising` true | false;
 * - a null field (consent mode not in use for it) sets no category.
 *
 * No object at all when neither is set: core reads "no consent data" as "not
 * enforced", while an object with a missing category reads as "not granted"
 * for sinks that need it. The category names match the ones the generator
 * and the example mappings use; a mapping that declares
 * `privacy.consent.categories` lists them (Analytics, Advertising) so its
 * sinks, triggers and profile-API fields may name them.
 */
export const GA4_CONSENT_CATEGORIES = { analytics_storage: 'Analytics', ads_storage: 'Advertising' } as const;

export function consentFromPrivacyInfo(privacy: Ga4Row['privacy_info']): JsonObject | null {
  if (privacy === null) return null;
  const preferences: JsonObject = {};
  for (const [field, category] of Object.entries(GA4_CONSENT_CATEGORIES) as Array<[keyof typeof GA4_CONSENT_CATEGORIES, string]>) {
    const value = privacy[field];
    if (value !== null) preferences[category] = value === 'Yes';
  }
  return Object.keys(preferences).length === 0 ? null : { categoryPreferences: preferences };
}
