import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ga4LineToMessage } from './ga4-line.js';

const NOW = Date.parse('2024-03-10T00:00:00Z');
const options = { now: NOW, maxRowBytes: 1 << 20 };
const line = (text: string) => ({ text, line: 7, bytes: Buffer.byteLength(text), endOffset: 100 });

/** Mostly the well-formed spelling, sometimes any JSON at all: both paths get exercised. */
const mostly = <T,>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 });
const micros = fc.bigInt({ min: 946_684_800_000_000n, max: 1_710_000_000_000_000n });
const int64 = mostly(fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String), fc.integer(), fc.constant(null)));
const paramValue = fc.record({ string_value: mostly(fc.option(fc.string())), int_value: int64, double_value: mostly(fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }))) }, { requiredKeys: [] });
const rowLike = fc.record(
  {
    event_timestamp: mostly(fc.oneof(micros.map(String), micros.map(Number))),
    event_name: mostly(fc.constantFrom('purchase', 'view_item', 'refund', 'add_to_cart', 'begin_checkout', 'page_view', '')),
    event_params: mostly(fc.array(fc.record({ key: mostly(fc.string({ minLength: 1 })), value: mostly(paramValue) }), { maxLength: 4 })),
    user_pseudo_id: mostly(fc.option(fc.string())),
    user_id: mostly(fc.option(fc.string())),
    privacy_info: mostly(fc.record({ analytics_storage: fc.constantFrom('Yes', 'No', null, 'x'), ads_storage: mostly(fc.constantFrom('Yes', 'No', null)) }, { requiredKeys: [] })),
    ecommerce: mostly(fc.record({ transaction_id: mostly(fc.option(fc.string())), purchase_revenue: mostly(fc.double({ noNaN: true, noDefaultInfinity: true })), refund_value: mostly(fc.option(fc.double())) }, { requiredKeys: [] })),
    items: mostly(fc.array(fc.record({ item_id: mostly(fc.string()), price: mostly(fc.oneof(fc.double(), fc.string())), quantity: int64, item_list_index: mostly(fc.option(fc.string())) }, { requiredKeys: [] }), { maxLength: 3 })),
  },
  { requiredKeys: ['event_timestamp', 'event_name'] },
);

const seen = { event: 0, reject: 0 };

function expectEventOrReason(text: string) {
  const message = ga4LineToMessage(line(text), 'export.json', options);
  if (message === null) {
    expect(text.trim()).toBe('');
    return;
  }
  if (message.type === 'reject') {
    expect(message.reason.length).toBeGreaterThan(0);
    expect(message.origin).toEqual({ file: 'export.json', line: 7 });
    seen.reject++;
    return;
  }
  expect(message.type).toBe('event');
  if (message.type !== 'event') return;
  seen.event++;
  const { event } = message;
  expect(Number.isFinite(event.timestamp)).toBe(true);
  expect(event.userId ?? event.anonymousId).not.toBeNull();
  expect(event.messageId).toMatch(/^ga4-[0-9a-f]{32}$/);
  // What the store keeps must serialize.
  expect(() => JSON.stringify(event)).not.toThrow();
}

describe('GA4 NDJSON line parser (property)', () => {
  it('turns any text into an event, a reject with a reason, or nothing for a blank line; never throws', () => {
    fc.assert(fc.property(fc.string(), expectEventOrReason), { numRuns: 500, seed: 20261203 });
  });

  it('turns any JSON value into an event or a reject with a reason', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => expectEventOrReason(JSON.stringify(value))), { numRuns: 500, seed: 20261203 });
  });

  it('turns any row-shaped object, well-formed or not, into an event or a reject with a reason', () => {
    seen.event = 0;
    seen.reject = 0;
    fc.assert(fc.property(rowLike, (row) => expectEventOrReason(JSON.stringify(row) ?? 'null')), { numRuns: 600, seed: 20261203 });
    // Honest coverage: both outcomes occur, not 600 rejects of malformed noise.
    expect(seen.event).toBeGreaterThan(10);
    expect(seen.reject).toBeGreaterThan(10);
  });

  it('rejects an over-long line with its size and the limit', () => {
    const message = ga4LineToMessage({ text: null, line: 3, bytes: 2_000_000, endOffset: 2_000_001 }, 'export.json', options);
    expect(message).toMatchObject({ type: 'reject', origin: { line: 3 }, reason: expect.stringContaining('2000000 bytes') });
  });

  it('rejects a line that is not JSON, naming the parser error', () => {
    expect(ga4LineToMessage(line('{"event_name": '), 'export.json', options)).toMatchObject({ type: 'reject', reason: expect.stringMatching(/^not valid JSON/) });
  });
});
