import { describe, expect, it } from 'vitest';
import { routingOf, rulesForEvent } from './event-routing.js';
import { eventConcernsTrigger } from './kinds/step-trigger.js';
import { compile, T0 } from './trigger-fixtures.test-support.js';
import type { JsonObject, TriggerEvent } from './trigger-types.js';

const TRIGGERS = compile({
  rules: [
    { id: 'cart', kind: 'absence', purpose: 'marketing', after: ['Product Added', 'Checkout Started'], absent: 'Order Completed', within: '30m', actions: [{ sink: 'hubspot', kind: 'hubspot:event' }] },
    { id: 'quiet', kind: 'inactivity', purpose: 'marketing', inactive_for: '14d', actions: [{ sink: 'hubspot', kind: 'hubspot:event' }] },
    { id: 'views', kind: 'repetition', purpose: 'marketing', event: { event: 'Product Viewed', where: { price: { gte: 200 } } }, at_least: 3, within: '1h', actions: [{ sink: 'hubspot', kind: 'hubspot:event' }] },
    { id: 'shoes', kind: 'sequence', purpose: 'marketing', first: 'Product Viewed', then: 'Product Added', without: 'Order Completed', within: '10m', actions: [{ sink: 'hubspot', kind: 'hubspot:event' }] },
    { id: 'logins', kind: 'inactivity', purpose: 'marketing', inactive_for: '7d', activity: 'Signed In', actions: [{ sink: 'hubspot', kind: 'hubspot:event' }] },
    { id: 'churn', kind: 'segment', purpose: 'marketing', segment: 'churn_risk', on: 'entered', actions: [{ sink: 'hubspot', kind: 'hubspot:event' }] },
  ],
});

function event(name: string | null, properties: TriggerEvent['properties'] = {}): TriggerEvent {
  return { messageId: 'm', type: 'track', event: name, timestamp: T0, properties };
}

describe('event routing', () => {
  it('hands an event exactly the triggers it concerns, in declaration order', () => {
    const routing = routingOf(TRIGGERS);
    const names = [null, 'Product Added', 'Checkout Started', 'Order Completed', 'Product Viewed', 'Signed In', 'Page Viewed'];
    for (const name of names) {
      for (const properties of [{}, { price: 250 }, { price: 10 }] as JsonObject[]) {
        const candidate = event(name, properties);
        const routed = rulesForEvent(routing, name).filter((rule) => eventConcernsTrigger(rule, candidate));
        const concerned = TRIGGERS.rules.filter((rule) => eventConcernsTrigger(rule, candidate));
        expect(routed.map((rule) => rule.id)).toEqual(concerned.map((rule) => rule.id));
      }
    }
    expect(rulesForEvent(routing, 'Product Added').map((rule) => rule.id)).toEqual(['cart', 'quiet', 'shoes']);
    expect(rulesForEvent(routing, 'Page Viewed').map((rule) => rule.id)).toEqual(['quiet']);
    expect(routing.segmentRules.map((rule) => rule.id)).toEqual(['churn']);
  });
});
