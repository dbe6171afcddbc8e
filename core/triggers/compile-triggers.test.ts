import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { TriggersSection } from '../config/trigger-schema.js';
import { compileTriggers } from './compile-triggers.js';
import { matchesEvent } from './event-matcher.js';

const YAML = `
allowed_lateness: 2m
frequency_cap: { max: 2, per: 1d }
quiet_hours: { start: '21:00', end: '08:00', default_timezone: Europe/Berlin }
rules:
  - id: abandoned_cart
    kind: absence
    purpose: marketing
    after: [Product Added, Checkout Started]
    absent: Order Completed
    within: 30m
    key: cart_id
    cooldown: 1d
    actions:
      - sink: hubspot
        kind: hubspot:event
        target: pe_cart_abandoned
        payload: { cart_id: event.properties.cart_id, email: profile.traits.email, source: { value: segflow } }
  - id: big_spender_looking
    kind: repetition
    purpose: marketing
    event: { event: Product Viewed, where: { price: { gte: 200 } } }
    at_least: 3
    within: session
    allowed_lateness: 10m
    actions: [{ sink: marketo, kind: marketo:campaign, target: '1001' }]
  - id: viewed_a_then_b
    kind: sequence
    purpose: marketing
    first: { event: Product Viewed, where: { product_id: A } }
    then: { event: Product Viewed, where: { product_id: B } }
    without: Order Completed
    within: 10m
    actions: [{ sink: hubspot, kind: hubspot:list-add, target: a-then-b }]
  - id: churn_risk
    kind: segment
    purpose: marketing
    segment: churn_risk
    on: entered
    actions: [{ sink: salesforce, kind: salesforce:platform-event, target: Churn_Risk__e, payload: { segment: segment.id } }]
  - id: gone_quiet
    kind: inactivity
    purpose: marketing
    inactive_for: 30d
    actions: [{ sink: hubspot, kind: hubspot:property, target: segflow_gone_quiet }]
`;

describe('the triggers: section', () => {
  it('parses every kind and compiles durations, matchers and payload paths', () => {
    const compiled = compileTriggers(TriggersSection.parse(parse(YAML)));
    expect(compiled.guards).toEqual({ frequencyCap: { max: 2, perMs: 86_400_000 }, quietHours: { startMinute: 21 * 60, endMinute: 8 * 60, defaultTimeZone: 'Europe/Berlin' } });
    const [absence, repetition, sequence, segment, inactivity] = compiled.rules;
    expect(absence).toMatchObject({ kind: 'absence', withinMs: 30 * 60_000, latenessMs: 2 * 60_000, cooldownMs: 86_400_000, key: 'cart_id', eventPaths: ['event.properties.cart_id'] });
    expect(repetition).toMatchObject({ kind: 'repetition', atLeast: 3, window: { type: 'session', gapMs: 30 * 60_000 }, latenessMs: 10 * 60_000 });
    expect(sequence).toMatchObject({ kind: 'sequence', withinMs: 10 * 60_000 });
    expect(segment).toMatchObject({ kind: 'segment', segment: 'churn_risk', on: 'entered' });
    expect(inactivity).toMatchObject({ kind: 'inactivity', inactiveForMs: 30 * 86_400_000, activity: undefined });
    if (repetition?.kind !== 'repetition') throw new Error('expected repetition');
    const viewed = (price: unknown) => ({ messageId: 'm', type: 'track' as const, event: 'Product Viewed', timestamp: 0, properties: { price: price as number } });
    expect(matchesEvent(repetition.event, viewed(250))).toBe(true);
    expect(matchesEvent(repetition.event, viewed(199.99))).toBe(false);
    expect(matchesEvent(repetition.event, viewed(null))).toBe(false);
  });

  it('reports every problem at once with its path', () => {
    const result = TriggersSection.safeParse({
      frequency_cap: { max: 0, per: 'daily' },
      quiet_hours: { start: '9pm', end: '08:00' },
      rules: [{ id: 'Bad Id', kind: 'absence', purpose: 'marketing', after: 'Product Added', absent: 'Order Completed', within: '30', actions: [] }],
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.')) ?? [];
    expect(paths).toEqual(expect.arrayContaining(['frequency_cap.max', 'frequency_cap.per', 'quiet_hours.start', 'rules.0.id', 'rules.0.within', 'rules.0.actions']));
  });

  it('has no transforms, so the JSON Schema for editors can be generated', () => {
    const schema = z.toJSONSchema(TriggersSection, { io: 'input' }) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(['allowed_lateness', 'frequency_cap', 'quiet_hours', 'rules']);
  });
});
