import { describe, expect, it } from 'vitest';
import { normalizeSegmentMessage } from './normalize-segment.js';

const now = Date.parse('2026-06-01T00:00:00Z');
const base = { type: 'track', event: 'Order Completed', messageId: 'm1', userId: 'u1', timestamp: '2026-05-01T10:00:00Z' };
const normalize = (message: unknown) => normalizeSegmentMessage(message, { now });
const reason = (message: unknown) => {
  const result = normalize(message);
  return result.ok ? null : result.reason;
};

describe('normalizeSegmentMessage', () => {
  it('applies Segment clock-skew correction: receivedAt - (sentAt - originalTimestamp)', () => {
    // The device clock runs 2 hours fast: sentAt and originalTimestamp are both off by 2 h.
    const result = normalize({
      ...base, timestamp: undefined,
      originalTimestamp: '2026-05-01T12:00:00Z', sentAt: '2026-05-01T12:00:05Z', receivedAt: '2026-05-01T10:00:06Z',
    });
    expect(result.ok && new Date(result.event.timestamp).toISOString()).toBe('2026-05-01T10:00:01.000Z');
  });

  it('lifts revenue, order id and category; sums products when revenue is absent', () => {
    const result = normalize({ ...base, properties: { order_id: 77, products: [{ price: 2.5, quantity: 2, category: 'Books' }, { price: 1 }] } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event.revenue).toBe(6);
    expect(result.event.orderId).toBe('77');
    expect(result.event.category).toBe('Books');
  });

  it('coerces numeric ids to strings like Segment does, and takes deviceId from context', () => {
    const result = normalize({ ...base, userId: 12345, context: { device: { id: 'ios-1' } } });
    expect(result.ok && [result.event.userId, result.event.deviceId]).toEqual(['12345', 'ios-1']);
  });

  it('rejects bad input with a reason naming the field', () => {
    expect(reason('just a string')).toBe('expected a JSON object, got string');
    expect(reason({ ...base, userId: undefined })).toMatch(/missing identity/);
    expect(reason({ ...base, userId: { id: 1 } })).toBe('"userId" must be a string, got object');
    expect(reason({ ...base, type: 'purchase' })).toMatch(/unknown type "purchase"/);
    expect(reason({ ...base, event: '' })).toMatch(/"event" must be a non-empty string/);
    expect(reason({ ...base, timestamp: '2036-01-01T00:00:00Z' })).toMatch(/days in the future/);
    expect(reason({ ...base, timestamp: 1714557600 })).toMatch(/"timestamp" must be an ISO-8601 string, got number/);
    expect(reason({ ...base, timestamp: 'yesterday' })).toMatch(/is not an ISO-8601 date/);
    expect(reason({ ...base, properties: [] })).toBe('"properties" must be an object, got array');
    expect(reason({ ...base, properties: { revenue: 'lots' } })).toMatch(/properties.revenue must be a number, got string "lots"/);
    expect(reason({ ...base, type: 'alias', previousId: undefined })).toBe('alias without "previousId"');
  });

  it('derives a stable messageId from the raw line when none is given', () => {
    const line = JSON.stringify({ ...base, messageId: undefined });
    const first = normalizeSegmentMessage(JSON.parse(line), { now }, line);
    const second = normalizeSegmentMessage(JSON.parse(line), { now }, line);
    expect(first.ok && second.ok && first.event.messageId === second.event.messageId).toBe(true);
    expect(first.ok && first.event.messageId).toMatch(/^derived-[0-9a-f]{40}$/);
  });
});
