import { z } from 'zod';

/**
 * The fields every sink section shares. A connector's schema (credentials,
 * URLs, vendor objects) is extended with these, so core reads the sync
 * semantics without knowing the vendor.
 */
const PropertySource = z.union([
  z
    .strictObject({ segments: z.union([z.literal('all'), z.array(z.string()).min(1)]) })
    .describe('Multi-value: the names of the listed segments (segment ids or segmentation ids) the profile is in, e.g. "Champions;Cart abandoners".'),
  z.strictObject({ segment_of: z.string() }).describe('Single value: the name of the profile\'s segment in this segmentation (e.g. its RFM segment), empty when none.'),
  z.strictObject({ feature: z.string() }).describe('A number: the profile\'s value of this feature (rounded to 6 decimals).'),
  z.strictObject({ trait: z.string() }).describe('A string: the latest value of this identify trait (e.g. first_name).'),
  z.strictObject({ holdout: z.string() }).describe('"treatment" or "holdout": the profile\'s arm in this experiment (analysis.experiments id), empty outside its segment; exclude "holdout" from the campaign.'),
]);

const ListMapping = z
  .strictObject({
    segment: z.string().describe('A segment id (e.g. cart_abandoners, rfm/champions) or a segmentation id (one list per segment).'),
    name: z.string().min(1).optional().describe('The list/campaign name in the vendor; default "segflow: <segment name>". Only for a single segment.'),
  })
  .describe('Segment membership as vendor list/campaign membership. segflow only removes members it added.');

export const SyncMode = z
  .enum(['sync', 'additive', 'enrich'])
  .describe('sync: create, update and remove; additive: never remove memberships or clear values; enrich: update records that already exist, never create.');

export const SINK_COMMON_FIELDS = {
  id: z.string().regex(/^[a-z][a-z0-9_-]*$/, { message: 'expected a lowercase id (letters, digits, _ or -), starting with a letter' }),
  sandbox: z.boolean().default(false).describe('Sync to a local simulator of the vendor started for the run: rehearse with no credentials.'),
  mode: SyncMode.default('sync'),
  identify_by: z
    .string()
    .default('email')
    .describe('The vendor matching key: a trait name (default email) or "profile_id". Profiles without it are not synced.'),
  consent_categories: z
    .array(z.string())
    .default([])
    .describe('Consent categories (Segment categoryPreferences) that must all be true for a profile to reach this sink; a profile without consent data is not filtered.'),
  properties: z.record(z.string(), PropertySource).default({}).describe('Vendor property (internal name) → what segflow writes into it.'),
  lists: z.array(ListMapping).default([]),
} as const;

export type PropertySourceConfig = z.infer<typeof PropertySource>;
export type ListMappingConfig = z.infer<typeof ListMapping>;
export type SyncModeName = z.infer<typeof SyncMode>;

/** The sink section as core sees it: common fields parsed, vendor fields opaque. */
export interface SinkMapping {
  id: string;
  type: string;
  sandbox: boolean;
  mode: SyncModeName;
  identify_by: string;
  consent_categories: string[];
  properties: Record<string, PropertySourceConfig>;
  lists: ListMappingConfig[];
  [vendorField: string]: unknown;
}
