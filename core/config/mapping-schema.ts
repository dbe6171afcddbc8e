import { z } from 'zod';
import { Duration } from './durations.js';
import { SECRET_REFERENCE } from './secrets.js';
import { SINK_COMMON_FIELDS, type SinkMapping } from './sink-schema.js';
import { MODEL_SEGMENTATIONS } from './model-schema.js';
import { AnalysisSection, type AnalysisConfig } from './analysis-schema.js';
import { ScheduleSection, ServeSection, type ScheduleConfig, type ServeConfig } from './serve-schema.js';
import { TriggersSection, type TriggersConfig } from './trigger-schema.js';
import { PrivacySection, type PrivacyConfig } from './privacy-schema.js';

/**
 * The YAML mapping format. Input schemas only (no transforms), so
 * `z.toJSONSchema` can publish mappings/schema.json for editor autocompletion.
 * There is no separate normalization pass: the loader (load-mapping.ts) fills
 * in the `.default(...)`s as it parses, and values keep their YAML form
 * (durations stay "30m") until the code that reads them converts them:
 * `durationMs` (durations.ts), `resolveFeatureName` (features/catalog.ts) for
 * names like frequency_90d, each sink's `*-sink-config.ts` for its section.
 * Source sections come from the connectors (core never imports them):
 * `buildMappingSchema` takes their schemas.
 */
const Identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, { message: 'expected a lowercase id (letters, digits, _ or -), starting with a letter' });

const MissingPolicy = z
  .union([z.enum(['zero', 'null', 'mean', 'median']), z.strictObject({ constant: z.number() })])
  .describe('What a profile without data gets: zero, null, the population mean or median, or a constant.');

const CustomFeature = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, { message: 'expected a snake_case feature name' }),
    kind: z.enum(['count', 'sum', 'distinct']).describe('count events, sum a numeric property, or count distinct values of a property'),
    event: z.string().min(1).describe('The event name, e.g. "Product Viewed".'),
    property: z.string().optional().describe('Property to sum or count distinct (required for sum and distinct).'),
    where: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().describe('Only events whose properties equal these values.'),
    window: Duration.optional().describe('Only events in this window before as-of, e.g. 30d.'),
  })
  .describe('A feature defined in the mapping: count/sum/distinct of one event, filtered, in a window.');

const Features = z.strictObject({
  as_of: z
    .union([z.enum(['latest', 'now']), z.iso.date()])
    .default('latest')
    .describe('Compute features as of: "latest" (midnight after the last event), "now", or a date YYYY-MM-DD.'),
  include: z.array(z.string()).min(1).describe('Built-in features; windowed ones take a suffix like frequency_90d.'),
  custom: z.array(CustomFeature).default([]),
  missing: z.record(z.string(), MissingPolicy).default({}).describe('Missing-value policy per feature name.'),
  scaling: z
    .strictObject({
      method: z.enum(['zscore', 'minmax', 'robust']).describe('scikit-learn StandardScaler, MinMaxScaler or RobustScaler semantics.'),
      columns: z.array(z.string()).min(1).describe('Features to scale; each gets a <name>_scaled column (after the missing-value policy).'),
    })
    .optional()
    .describe('Scaled copies of features, for models and composite scores.'),
  events: z
    .strictObject({
      order: z.string().default('Order Completed'),
      refund: z.string().default('Order Refunded'),
      product_view: z.string().default('Product Viewed'),
      add_to_cart: z.string().default('Product Added'),
      checkout: z.string().default('Checkout Started'),
    })
    .default({ order: 'Order Completed', refund: 'Order Refunded', product_view: 'Product Viewed', add_to_cart: 'Product Added', checkout: 'Checkout Started' })
    .describe('Which event names the built-in features read (Segment e-commerce spec by default).'),
});

const RfmSegmentation = z.strictObject({
  id: Identifier,
  model: z.literal('rfm'),
  name: z.string().optional(),
  recency: z.string().default('recency_days'),
  frequency: z.string().default('frequency'),
  monetary: z.string().default('monetary'),
});

const RuleSegment = z.strictObject({
  id: Identifier,
  model: z.literal('rules'),
  name: z.string().min(1),
  description: z.string().optional(),
  rule: z.string().min(1).describe('An expression over features, e.g. recency_days > 60 and frequency_90d >= 3'),
});

const AudienceSegmentation = z
  .strictObject({
    id: Identifier,
    model: z.literal('audiences'),
    audiences: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Audience keys to keep (Engage computation_key, e.g. vip_shoppers); each becomes segment <id>/<key>. Default: every key seen in entered/exited events. Identify traits ({<key>: true|false}) count only for listed keys.'),
    names: z.record(z.string(), z.string().min(1)).default({}).describe('Display names per audience key; default the key.'),
    entered_event: z.string().min(1).default('Audience Entered'),
    exited_event: z.string().min(1).default('Audience Exited'),
    key_property: z.string().min(1).default('audience_key').describe('The track property naming the audience.'),
  })
  .describe("Memberships computed elsewhere (Segment Engage audiences, Mixpanel cohorts): each profile's latest entered/exited event (or identify trait) per audience decides, so sinks use them like segflow's own segments.");

const Segmentation = z.discriminatedUnion('model', [RfmSegmentation, RuleSegment, AudienceSegmentation, ...MODEL_SEGMENTATIONS]);

export function buildMappingSchema(sourceSchemas: readonly [z.ZodObject, ...z.ZodObject[]], sinkSchemas: readonly z.ZodObject[] = []) {
  const Source = sourceSchemas.length === 1 ? sourceSchemas[0] : z.discriminatedUnion('type', sourceSchemas as [z.ZodObject, z.ZodObject, ...z.ZodObject[]]);
  const sinks = sinkSchemas.map((schema) => schema.extend(SINK_COMMON_FIELDS));
  const Sink = sinks.length === 0 ? z.never() : sinks.length === 1 ? (sinks[0] as z.ZodObject) : z.discriminatedUnion('type', sinks as unknown as [z.ZodObject, z.ZodObject, ...z.ZodObject[]]);
  return z
    .strictObject({
      version: z.literal(1).describe('Mapping format version.'),
      name: z.string().optional(),
      sources: z.array(Source).min(1),
      ingest: z
        .strictObject({
          max_event_bytes: z.number().int().positive().default(32 * 1024).describe('Reject larger events (Segment: 32 KB). @default 32768'),
          max_future: Duration.default('24h').describe('Reject events timestamped further in the future. @default 24h'),
          batch_events: z.number().int().positive().default(200_000).describe('Events committed per transaction. @default 200000'),
        })
        .default({ max_event_bytes: 32 * 1024, max_future: '24h', batch_events: 200_000 }),
      identity: z
        .strictObject({
          merge_user_ids: z
            .enum(['alias_only', 'always'])
            .default('alias_only')
            .describe('alias_only: two userIds merge only through an alias event (a shared device never merges two customers).'),
        })
        .default({ merge_user_ids: 'alias_only' }),
      sessions: z.strictObject({ gap: Duration.default('30m') }).default({ gap: '30m' }),
      features: Features,
      segments: z.array(Segmentation).min(1),
      sinks: z.array(Sink).default([]).describe('Where segments go: HubSpot, Salesforce, Marketo, Segment.'),
      analysis: AnalysisSection.optional(),
      state: z
        .strictObject({
          url: z
            .string()
            .regex(SECRET_REFERENCE, { message: 'expected ${env:NAME}: a database URL holds a password, so it comes from the environment' })
            .optional()
            .describe('PostgreSQL for operational state shared by several workers: ${env:NAME} holding postgres://user:password@host/db. Default: SQLite in the state directory. SEGFLOW_STATE_URL overrides.'),
        })
        .optional()
        .describe('Where operational state lives (identity, sync acknowledgements, dead letters, suppressions).'),
      triggers: TriggersSection.optional(),
      report: z
        .strictObject({ out: z.string().min(1).describe('Where `segflow run` writes the run\'s HTML report, relative to the mapping file, e.g. reports/latest.html.') })
        .optional()
        .describe('Write a self-contained HTML report after every run (as `segflow report` does) and print where.'),
      schedule: ScheduleSection.optional(),
      serve: ServeSection.optional(),
      privacy: PrivacySection.optional(),
    })
    .describe('A segflow mapping: sources → features → segments (→ sinks).');
}

export type MappingSchema = ReturnType<typeof buildMappingSchema>;
export type CustomFeatureConfig = z.infer<typeof CustomFeature>;
export type FeaturesConfig = z.infer<typeof Features>;
export type SegmentationConfig = z.infer<typeof Segmentation>;
export type RuleSegmentConfig = z.infer<typeof RuleSegment>;
export type RfmSegmentationConfig = z.infer<typeof RfmSegmentation>;
export type AudienceSegmentationConfig = z.infer<typeof AudienceSegmentation>;

/** The parsed mapping as core sees it: sources are opaque to core. */
export interface Mapping {
  version: 1;
  name?: string;
  sources: Array<{ id: string; type: string } & Record<string, unknown>>;
  ingest: { max_event_bytes: number; max_future: string; batch_events: number };
  identity: { merge_user_ids: 'alias_only' | 'always' };
  sessions: { gap: string };
  features: FeaturesConfig;
  segments: SegmentationConfig[];
  sinks: SinkMapping[];
  state?: { url?: string };
  analysis?: AnalysisConfig;
  triggers?: TriggersConfig;
  report?: { out: string };
  schedule?: ScheduleConfig;
  serve?: ServeConfig;
  privacy?: PrivacyConfig;
}
