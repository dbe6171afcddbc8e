import { z } from 'zod';
import { Duration } from './durations.js';

/**
 * The `triggers:` section (issue 10): behavior rules that fire actions in a
 * sink, with the guards every action passes first. No transforms here, so the
 * JSON Schema stays exact; core/triggers/compile-triggers.ts normalizes
 * (durations to ms, matcher shorthands to one shape).
 */
const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const Comparison = z
  .strictObject({
    eq: Scalar.optional(),
    ne: Scalar.optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    in: z.array(Scalar).min(1).optional(),
    exists: z.boolean().optional(),
  })
  .describe('Every operator given must hold, e.g. { gte: 200 } or { in: [shoes, bags] }.');

const Where = z
  .record(z.string(), z.union([Scalar, Comparison]))
  .describe('Event property (dot path inside properties, e.g. price or product.brand) → a value it must equal, or a comparison.');

const EventNames = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const Matcher = z
  .union([
    EventNames,
    z.strictObject({
      event: EventNames.describe('Event name(s), any of which matches (track event or page/screen name).'),
      where: Where.optional(),
    }),
  ])
  .describe('Which events match: a name, a list of names, or { event, where }.');

const PropertyKey = z
  .string()
  .min(1)
  .describe('Match per value of this event property (dot path inside properties, e.g. cart_id): one pending match per key.');

const FieldReference = z
  .union([
    z
      .string()
      .regex(/^(event|profile|match|trigger|segment)\.[A-Za-z0-9_.$-]+$/, {
        message: 'expected a field like event.properties.cart_id, profile.traits.email, profile.id, match.key, match.at or trigger.id',
      }),
    z.strictObject({ value: Scalar }).describe('A constant.'),
  ])
  .describe('Where a payload value comes from: event.* (the event the match is about), profile.* (at send time), match.key, match.at, trigger.id, segment.id; or { value: constant }.');

const Action = z
  .strictObject({
    sink: z.string().min(1).describe('The id of a sink in sinks:.'),
    kind: z.string().min(1).describe('One of the sink\'s action kinds, e.g. hubspot:event, marketo:campaign, salesforce:platform-event.'),
    target: z.string().min(1).optional().describe('The flow/event/campaign the action names in the vendor, when the kind needs one.'),
    payload: z.record(z.string(), FieldReference).default({}).describe('Payload field → where its value comes from.'),
  })
  .describe('One action a firing sends: { sink, kind, target, payload }.');

const COMMON = {
  id: z.string().regex(/^[a-z][a-z0-9_-]*$/, { message: 'expected a lowercase id (letters, digits, _ or -), starting with a letter' }),
  purpose: z.string().min(1).describe('Consent category the profile must have granted at send time, e.g. marketing.'),
  cooldown: Duration.optional().describe('After a firing is sent, the same trigger does not fire again for the profile for this long. Default: no cooldown.'),
  allowed_lateness: Duration.optional().describe('Events this much older than the newest event time seen are still applied; older ones are counted too_late. Default: the section\'s allowed_lateness.'),
  actions: z.array(Action).min(1),
};

const Absence = z
  .strictObject({
    ...COMMON,
    kind: z.literal('absence'),
    after: Matcher.describe('Any of these starts the wait, e.g. [Product Added, Checkout Started].'),
    absent: Matcher.describe('This event inside the wait cancels it, e.g. Order Completed. Without the key property it cancels every pending wait of the profile.'),
    within: Duration.describe('How long to wait, counted from the first event that started it.'),
    key: PropertyKey.optional(),
  })
  .describe('Absence: one of `after`, then no `absent` within `within` (abandoned cart).');

const Repetition = z
  .strictObject({
    ...COMMON,
    kind: z.literal('repetition'),
    event: Matcher,
    at_least: z.number().int().min(2).describe('How many matching events fire it.'),
    within: z.union([Duration, z.literal('session')]).describe('A sliding window (e.g. 1h), or session: events no more than session_gap apart.'),
    session_gap: Duration.default('30m').describe('The gap that ends a session when within is session. @default 30m'),
    key: PropertyKey.optional(),
  })
  .describe('Repetition: at least N matching events within a window or a session (viewed an expensive product 3 times).');

const Sequence = z
  .strictObject({
    ...COMMON,
    kind: z.literal('sequence'),
    first: Matcher,
    then: Matcher,
    within: Duration.describe('`then` at most this long after `first`.'),
    without: Matcher.optional().describe('No such event between `first` and `then`.'),
    key: PropertyKey.optional(),
  })
  .describe('Sequence: `first`, then `then` within `within`, with no `without` in between.');

const SegmentChange = z
  .strictObject({
    ...COMMON,
    kind: z.literal('segment'),
    segment: z.string().min(1).describe('A segment id, e.g. churn_risk or rfm/champions.'),
    on: z.enum(['entered', 'exited']),
  })
  .describe('Segment: the profile entered or exited a segment (from a run, an Engage audience or a Mixpanel cohort).');

const Inactivity = z
  .strictObject({
    ...COMMON,
    kind: z.literal('inactivity'),
    inactive_for: Duration.describe('No activity for this long, e.g. 30d.'),
    activity: Matcher.optional().describe('What counts as activity. Default: any event.'),
  })
  .describe('Inactivity: no activity for a while after the last one.');

export const TriggerRule = z.discriminatedUnion('kind', [Absence, Repetition, Sequence, SegmentChange, Inactivity]);

const FrequencyCap = z
  .strictObject({
    max: z.number().int().min(1).describe('Most actions sent per profile in `per`, over all triggers and sinks.'),
    per: Duration.describe('The sliding window, e.g. 1d.'),
  })
  .describe('Global frequency cap per profile across all triggers and sinks; actions over it are held (frequency_cap).');

const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const QuietHours = z
  .strictObject({
    start: z.string().regex(CLOCK_TIME, { message: 'expected a local time HH:MM' }).describe('Local time quiet hours begin, e.g. 21:00.'),
    end: z.string().regex(CLOCK_TIME, { message: 'expected a local time HH:MM' }).describe('Local time they end, e.g. 08:00 (before start: overnight).'),
    default_timezone: z.string().min(1).default('UTC').describe('IANA time zone for profiles without one. @default UTC'),
  })
  .describe('Quiet hours in the profile\'s time zone: actions are deferred to their end, never dropped.');

export const TriggersSection = z
  .strictObject({
    allowed_lateness: Duration.default('5m').describe('Default allowed lateness of every rule. @default 5m'),
    frequency_cap: FrequencyCap.optional(),
    quiet_hours: QuietHours.optional(),
    rules: z.array(TriggerRule).default([]),
  })
  .describe('Real-time behavior triggers and the guards their actions pass (cooldown, frequency cap, quiet hours, consent, suppression).');

export type TriggersConfig = z.infer<typeof TriggersSection>;
export type TriggerRuleConfig = z.infer<typeof TriggerRule>;
export type MatcherConfig = z.infer<typeof Matcher>;
