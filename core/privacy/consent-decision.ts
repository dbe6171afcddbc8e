/**
 * The one place segflow decides whether a profile's consent covers a use
 * (a sink, a trigger's purpose, a profile-API field). Segment Consent
 * Management semantics, as its destinations apply them:
 *
 * - no consent object at all: no enforcement, unless the mapping says
 *   `privacy.consent.required: true` (Segment's "consent: required"), in
 *   which case nothing is granted;
 * - a consent object without `categoryPreferences` says no more than no
 *   object (same two cases);
 * - `categoryPreferences` grants exactly the categories set to `true`; an
 *   empty object grants none;
 * - a use that names several categories needs all of them; a use that
 *   names none is not gated by consent;
 * - category names match case-insensitively (CMPs disagree on case:
 *   "Marketing" vs "marketing");
 * - consent text that is not JSON grants nothing (fail closed).
 *
 * Which consent object is the profile's (the latest by event time) is the
 * callers' query; this module only reads it. Pure: no I/O.
 */
export interface ConsentPolicy {
  /** A profile with no consent data is treated as all denied. @default false */
  readonly required: boolean;
}

export const DEFAULT_CONSENT_POLICY: ConsentPolicy = Object.freeze({ required: false });

/** What a stored consent object says: nothing (not enforced / required), or per-category grants. */
export type ConsentReading =
  | { readonly kind: 'none' }
  | { readonly kind: 'unreadable' }
  | { readonly kind: 'preferences'; readonly granted: ReadonlyMap<string, boolean> };

/** Reads `events.consent` text (`{"categoryPreferences": {...}}`); null or undefined is "no consent data". */
export function readConsent(consentJson: string | null | undefined): ConsentReading {
  if (consentJson === null || consentJson === undefined) return { kind: 'none' };
  let preferences: unknown;
  try {
    preferences = (JSON.parse(consentJson) as { categoryPreferences?: unknown } | null)?.categoryPreferences;
  } catch {
    return { kind: 'unreadable' };
  }
  if (typeof preferences !== 'object' || preferences === null || Array.isArray(preferences)) return { kind: 'none' };
  const granted = new Map<string, boolean>();
  for (const [name, value] of Object.entries(preferences as Record<string, unknown>)) {
    // A name given twice in different cases: a denial wins over a grant.
    const key = name.toLowerCase();
    granted.set(key, value === true && granted.get(key) !== false);
  }
  return { kind: 'preferences', granted };
}

/** Whether one category is granted by a reading, under the policy. */
export function categoryGranted(reading: ConsentReading, category: string, policy: ConsentPolicy = DEFAULT_CONSENT_POLICY): boolean {
  if (reading.kind === 'unreadable') return false;
  if (reading.kind === 'none') return !policy.required;
  return reading.granted.get(category.toLowerCase()) === true;
}

/** Whether a use needing all of `categories` may use the profile. */
export function consentCovers(reading: ConsentReading, categories: readonly string[], policy: ConsentPolicy = DEFAULT_CONSENT_POLICY): boolean {
  return categories.every((category) => categoryGranted(reading, category, policy));
}

/** Shorthand for stored consent text. */
export function consentAllowsJson(consentJson: string | null | undefined, categories: readonly string[], policy: ConsentPolicy = DEFAULT_CONSENT_POLICY): boolean {
  return categories.length === 0 || consentCovers(readConsent(consentJson), categories, policy);
}

/** Category → granted, for each named category (the trigger guards' shape). */
export function grantsByCategory(consentJson: string | null | undefined, categories: readonly string[], policy: ConsentPolicy = DEFAULT_CONSENT_POLICY): Record<string, boolean> {
  const reading = readConsent(consentJson);
  return Object.fromEntries(categories.map((category) => [category, categoryGranted(reading, category, policy)]));
}

/** The policy a mapping asks for (`privacy.consent.required`). */
export function consentPolicyOf(mapping: { privacy?: { consent?: { required?: boolean } } }): ConsentPolicy {
  return mapping.privacy?.consent?.required === true ? { required: true } : DEFAULT_CONSENT_POLICY;
}
