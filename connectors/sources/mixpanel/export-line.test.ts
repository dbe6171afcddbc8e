import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExportLine } from './export-line.js';
import { identitiesOf, timeToMs } from './mixpanel-event.js';
import { mixpanelMessageId } from './message-id.js';

const PROJECT = '7';
const line = (properties: Record<string, unknown>, event = 'Signed up') => JSON.stringify({ event, properties });
const parsed = (text: string) => {
  const outcome = parseExportLine(text, PROJECT);
  if (!outcome.ok) throw new Error(`expected an event, got: ${outcome.reason}`);
  return outcome.event;
};

describe('parseExportLine', () => {
  it('maps the documented export line', () => {
    const event = parsed(line({
      time: 1602611311, distinct_id: 'u-1', $insert_id: 'hpuDqcvpltpCjBsebtxwadtEBDnFAdycabFb', mp_processing_time_ms: 1602625711874,
      $device_id: 'dev-9', $user_id: 'u-1', plan: 'pro',
    }));
    expect(event).toMatchObject({
      type: 'track', event: 'Signed up', userId: 'u-1', anonymousId: 'dev-9', deviceId: 'dev-9', previousId: null,
      timestamp: 1602611311000, receivedAt: 1602625711874, revenue: null, orderId: null, category: null, traits: {}, context: {},
    });
    expect(event.properties.plan).toBe('pro');
    expect(event.messageId).toMatch(/^mixpanel:[0-9a-f]{40}$/);
  });

  it('detects seconds and milliseconds', () => {
    expect(timeToMs(1602611311)).toBe(1602611311000);
    expect(timeToMs(1602611311.5)).toBe(1602611311500);
    expect(timeToMs(1602611311123)).toBe(1602611311123);
    expect(parsed(line({ time: 1602611311, distinct_id: 'u' })).timestamp).toBe(parsed(line({ time: 1602611311000, distinct_id: 'u' })).timestamp);
  });

  it('follows Simplified ID Merge: $user_id is the user, $device_id and $device: ids are anonymous', () => {
    expect(identitiesOf({ distinct_id: '$device:abc', $device_id: 'abc' })).toEqual({ userId: null, anonymousId: 'abc', deviceId: 'abc' });
    expect(identitiesOf({ distinct_id: '$device:abc' })).toEqual({ userId: null, anonymousId: 'abc', deviceId: null });
    expect(identitiesOf({ distinct_id: 'u-1', $user_id: 'u-1', $device_id: 'abc' })).toEqual({ userId: 'u-1', anonymousId: 'abc', deviceId: 'abc' });
    // Server-side tracking: only a distinct_id, and it is the user.
    expect(identitiesOf({ distinct_id: 'u-2' })).toEqual({ userId: 'u-2', anonymousId: null, deviceId: null });
    // Original ID Merge: an anonymous distinct_id equal to the device id is not a user.
    expect(identitiesOf({ distinct_id: 'abc', $device_id: 'abc' })).toEqual({ userId: null, anonymousId: 'abc', deviceId: 'abc' });
    expect(identitiesOf({ distinct_id: 12345 })).toEqual({ userId: '12345', anonymousId: null, deviceId: null });
    // Original ID Merge: $identify links the anonymous id to the identified one.
    expect(identitiesOf({ distinct_id: 'u-3', $identified_id: 'u-3', $anon_id: 'anon-7' })).toEqual({ userId: 'u-3', anonymousId: 'anon-7', deviceId: null });
  });

  it('lifts revenue, order id and category from e-commerce properties', () => {
    expect(parsed(line({ time: 1, distinct_id: 'u', revenue: 19.99, order_id: 'o-1', category: 'Books' }, 'Purchase'))).toMatchObject({ revenue: 19.99, orderId: 'o-1', category: 'Books' });
    expect(parsed(line({ time: 1, distinct_id: 'u', revenue: '19.99' })).revenue).toBe(19.99);
    expect(parsed(line({ time: 1, distinct_id: 'u', $amount: 5 })).revenue).toBe(5);
    expect(parsed(line({ time: 1, distinct_id: 'u', products: [{ price: 2.5, quantity: 3 }, { price: 1 }] })).revenue).toBe(8.5);
    expect(parsed(line({ time: 1, distinct_id: 'u', revenue: 'lots' })).revenue).toBeNull();
    expect(parsed(line({ time: 1, distinct_id: 'u', order_id: 991 })).orderId).toBe('991');
  });

  it('carries an opt-out flag as "no category consented"', () => {
    expect(parsed(line({ time: 1, distinct_id: 'u', $mp_opt_out: true })).context).toEqual({ consent: { categoryPreferences: {} } });
    expect(parsed(line({ time: 1, distinct_id: 'u', $mp_opt_out: false })).context).toEqual({});
  });

  it('says why a line is not an event', () => {
    const reason = (text: string) => {
      const outcome = parseExportLine(text, PROJECT);
      return outcome.ok ? 'accepted' : outcome.reason;
    };
    expect(reason('{"event":')).toMatch(/^not valid JSON \(/);
    expect(reason('"text"')).toBe('expected a JSON object {"event", "properties"}, got the string "text"');
    expect(reason('{"properties":{}}')).toBe('"event" must be a non-empty string, got nothing');
    expect(reason('{"event":"x","properties":[]}')).toBe('"properties" must be an object, got an array');
    expect(reason(line({ time: '1602611311', distinct_id: 'u' }))).toBe('properties.time must be a number (epoch seconds or ms), got the string "1602611311"');
    expect(reason(line({ time: -5, distinct_id: 'u' }))).toBe('properties.time must be positive, got -5');
    expect(reason(line({ time: 1e20, distinct_id: 'u' }))).toBe('properties.time 100000000000000000000 is beyond any date Mixpanel stores');
    expect(reason(line({ time: 1, distinct_id: '' }))).toBe('no identity: properties.distinct_id, $user_id and $device_id are all missing or empty');
  });

  it('any string gives an event or a reject with a reason, never a throw', () => {
    const jsonish = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map((value) => JSON.stringify({ event: 'E', properties: value })),
      fc.record({
        event: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
        properties: fc.dictionary(fc.oneof(fc.constantFrom('time', 'distinct_id', '$insert_id', '$user_id', '$device_id', 'revenue', 'products', '__proto__', 'constructor'), fc.string()), fc.jsonValue()),
      }).map((value) => JSON.stringify(value)),
      // Plausible lines, cut at any point (a truncated export's last line).
      fc.tuple(
        fc.record({ time: fc.oneof(fc.integer({ min: 1, max: 4e9 }), fc.double()), distinct_id: fc.string(), $insert_id: fc.option(fc.string()), revenue: fc.option(fc.oneof(fc.double(), fc.string())) }),
        fc.nat(),
      ).map(([properties, cut]) => {
        const text = JSON.stringify({ event: 'Purchase', properties });
        return cut % 3 === 0 ? text.slice(0, cut % text.length) : text;
      }),
    );
    let accepted = 0;
    let rejected = 0;
    fc.assert(fc.property(jsonish, (text) => {
      const outcome = parseExportLine(text, PROJECT);
      if (outcome.ok) accepted++;
      else rejected++;
      if (outcome.ok) {
        expect(Number.isFinite(outcome.event.timestamp)).toBe(true);
        expect(outcome.event.userId !== null || outcome.event.anonymousId !== null).toBe(true);
        expect(outcome.event.messageId).toMatch(/^mixpanel:[0-9a-f]{40}$/);
      } else {
        expect(outcome.reason.length).toBeGreaterThan(0);
      }
    }), { numRuns: 2_000, seed: 20261203 });
    // Both branches were exercised, or the property says nothing.
    expect(accepted).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
  });
});

describe('mixpanelMessageId', () => {
  const key = { projectId: '7', event: 'Signed up', timeMs: 1_000, distinctId: 'u', insertId: 'i-1', properties: { a: 1 } };

  it('is the same for the same (event, time, distinct_id, $insert_id), whatever else differs', () => {
    expect(mixpanelMessageId(key)).toBe(mixpanelMessageId({ ...key, properties: { a: 2, mp_processing_time_ms: 5 } }));
  });

  it('differs when any part of the tuple or the project differs', () => {
    const base = mixpanelMessageId(key);
    for (const change of [{ event: 'Other' }, { timeMs: 1_001 }, { distinctId: 'v' }, { insertId: 'i-2' }, { projectId: '8' }, { distinctId: null }]) {
      expect(mixpanelMessageId({ ...key, ...change })).not.toBe(base);
    }
  });

  it('without $insert_id, tells events apart by their properties, in any key order', () => {
    const bare = { ...key, insertId: null };
    expect(mixpanelMessageId({ ...bare, properties: { a: 1, b: { c: 1, d: 2 } } })).toBe(mixpanelMessageId({ ...bare, properties: { b: { d: 2, c: 1 }, a: 1 } }));
    expect(mixpanelMessageId({ ...bare, properties: { a: 1 } })).not.toBe(mixpanelMessageId({ ...bare, properties: { a: 2 } }));
  });
});
