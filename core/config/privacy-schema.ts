import { z } from 'zod';
import { Duration } from './durations.js';

/**
 * The mapping's `privacy:` section. Input schema only (mapping-schema.ts
 * explains why); the rules it configures are applied by
 * core/privacy/consent-decision.ts and the names checked by
 * check-consent.ts.
 */
export const ConsentSettings = z
  .strictObject({
    categories: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('The consent categories your CMP sends (Segment categoryPreferences names, e.g. Marketing, Analytics, Advertising). When set, every category a sink, trigger or profile-API field names must be one of them (matched case-insensitively), so a typo is a `validate` error instead of a silently withheld sync.'),
    required: z
      .boolean()
      .default(false)
      .describe('true: a profile with no consent data at all is treated as all denied (Segment "consent: required"). false: such a profile is not filtered. An empty categoryPreferences object denies every category either way. @default false'),
  })
  .describe('Consent categories and how a profile without consent data is treated.');

export const RetentionSettings = z
  .strictObject({
    events: Duration.describe('Events older than this (before the run\'s clock) are deleted at the start of every run, e.g. 400d.'),
  })
  .describe('How long events are kept.');

export const PrivacySection = z
  .strictObject({
    consent: ConsentSettings.default({ required: false }),
    retention: RetentionSettings.optional(),
  })
  .describe('Privacy settings: consent enforcement for sinks, triggers and the profile API.');

export type ConsentSettingsConfig = z.infer<typeof ConsentSettings>;
export type PrivacyConfig = z.infer<typeof PrivacySection>;
