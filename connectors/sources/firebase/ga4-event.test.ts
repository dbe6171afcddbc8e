import { describe, expect, it } from 'vitest';
import { ga4RecordToEvent } from './ga4-event.js';

const NOW = Date.parse('2024-03-10T00:00:00Z');
// 2024-03-01T10:00:00.123456Z in microseconds, as BigQuery exports INT64: a string.
const MICROS = '1709287200123456';

function row(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_date: '20240301',
    event_timestamp: MICROS,
    event_name: 'page_view',
    event_params: [
      { key: 'ga_session_id', value: { int_value: '1709287000' } },
      { key: 'page_title', value: { string_value: 'Home' } },
      { key: 'engagement_time_msec', value: { int_value: 1200 } },
    ],
    user_id: null,
    user_pseudo_id: '1987654321.1709280000',
    ...overrides,
  };
}

function mapped(input: unknown) {
  const result = ga4RecordToEvent(input, { now: NOW });
  if (!result.ok) throw new Error(`rejected: ${result.reason}`);
  return result.event;
}

describe('GA4 row → canonical event', () => {
  it('reads event_timestamp as microseconds, INT64 strings as numbers, the pseudo id as anonymousId', () => {
    const event = mapped(row());
    expect(event.timestamp).toBe(Date.parse('2024-03-01T10:00:00.123Z'));
    expect(event).toMatchObject({ type: 'track', event: 'page_view', anonymousId: '1987654321.1709280000', userId: null });
    expect(event.properties).toMatchObject({ ga_session_id: 1709287000, page_title: 'Home', engagement_time_msec: 1200 });
    expect(event.properties.session_id).toBe('1987654321.1709280000.1709287000');
  });

  it('keeps an INT64 parameter beyond 2^53 as its exact digits', () => {
    const event = mapped(row({ event_params: [{ key: 'big', value: { int_value: '9007199254740993' } }] }));
    expect(event.properties.big).toBe('9007199254740993');
  });

  it('maps user_id to userId and user_properties to traits', () => {
    const event = mapped(row({ user_id: 'u-42', user_properties: [{ key: 'tier', value: { string_value: 'gold', set_timestamp_micros: '1709287200000000' } }] }));
    expect(event.userId).toBe('u-42');
    expect(event.traits).toEqual({ tier: 'gold' });
  });

  it('maps purchase to Order Completed with the transaction id, revenue, currency and products', () => {
    const event = mapped(row({
      event_name: 'purchase',
      event_params: [
        { key: 'currency', value: { string_value: 'EUR' } },
        { key: 'value', value: { double_value: 59.9 } },
        { key: 'transaction_id', value: { string_value: 'stale' } },
      ],
      ecommerce: { transaction_id: 'T-1001', purchase_revenue: 59.9, tax_value: 9.98, shipping_value: 4.5, total_item_quantity: '3', unique_items: '2' },
      items: [
        { item_id: 'SKU-1', item_name: 'Mug', item_category: 'Kitchen', price: 19.95, quantity: '2', item_list_index: '1' },
        { item_id: 'SKU-2', item_name: 'Spoon', price: 20, quantity: '1' },
      ],
    }));
    expect(event.event).toBe('Order Completed');
    expect(event.orderId).toBe('T-1001');
    expect(event.revenue).toBe(59.9);
    expect(event.category).toBe('Kitchen');
    expect(event.properties).toMatchObject({
      order_id: 'T-1001', revenue: 59.9, value: 59.9, currency: 'EUR', tax: 9.98, shipping: 4.5,
      products: [
        { product_id: 'SKU-1', name: 'Mug', category: 'Kitchen', price: 19.95, quantity: 2, position: 1 },
        { product_id: 'SKU-2', name: 'Spoon', price: 20, quantity: 1 },
      ],
    });
  });

  it('takes the purchase revenue from the value parameter when ecommerce has none, and ignores "(not set)" ids', () => {
    const event = mapped(row({
      event_name: 'purchase',
      event_params: [{ key: 'value', value: { double_value: 12.5 } }, { key: 'currency', value: { string_value: 'USD' } }],
      ecommerce: { transaction_id: '(not set)' },
    }));
    expect(event).toMatchObject({ event: 'Order Completed', revenue: 12.5, orderId: null });
  });

  it('maps refund to Order Refunded with the refunded amount', () => {
    const event = mapped(row({ event_name: 'refund', ecommerce: { transaction_id: 'T-1001', refund_value: 19.95 } }));
    expect(event).toMatchObject({ event: 'Order Refunded', orderId: 'T-1001', revenue: 19.95 });
    expect(event.properties.total).toBe(19.95);
  });

  it.each([
    ['view_item', 'Product Viewed'],
    ['add_to_cart', 'Product Added'],
    ['begin_checkout', 'Checkout Started'],
  ])('maps %s to %s', (name, canonical) => {
    const event = mapped(row({ event_name: name, items: [{ item_id: 'SKU-9', item_name: 'Lamp', item_category: 'Home', price: '30.5', quantity: 1 }] }));
    expect(event.event).toBe(canonical);
    expect(event.category).toBe('Home');
    expect(event.properties.products).toEqual([{ product_id: 'SKU-9', name: 'Lamp', category: 'Home', price: 30.5, quantity: 1 }]);
  });

  it('puts the single product of view_item and add_to_cart at the top level, as the Segment spec does', () => {
    const event = mapped(row({ event_name: 'add_to_cart', items: [{ item_id: 'SKU-9', item_name: 'Lamp', price: 30.5, quantity: '2' }] }));
    expect(event.properties).toMatchObject({ product_id: 'SKU-9', name: 'Lamp', price: 30.5, quantity: 2 });
  });

  it('keeps other event names as they are', () => {
    expect(mapped(row({ event_name: 'remove_from_cart' })).event).toBe('remove_from_cart');
    expect(mapped(row({ event_name: 'first_visit' })).event).toBe('first_visit');
  });

  it('maps privacy_info to Segment consent categories, and none when consent mode is off', () => {
    expect(mapped(row({ privacy_info: { analytics_storage: 'Yes', ads_storage: 'No', uses_transient_token: 'No' } })).context.consent)
      .toEqual({ categoryPreferences: { Analytics: true, Advertising: false } });
    expect(mapped(row({ privacy_info: { analytics_storage: null, ads_storage: null } })).context.consent).toBeUndefined();
    expect(mapped(row()).context.consent).toBeUndefined();
  });

  it('derives the same messageId whatever the parameter order and INT64 spelling, and another for another event', () => {
    const base = mapped(row());
    const reordered = mapped(row({
      event_params: [
        { key: 'engagement_time_msec', value: { int_value: '1200' } },
        { key: 'page_title', value: { string_value: 'Home' } },
        { key: 'ga_session_id', value: { int_value: 1709287000 } },
      ],
    }));
    expect(reordered.messageId).toBe(base.messageId);
    expect(mapped(row({ event_timestamp: '1709287200123457' })).messageId).not.toBe(base.messageId);
    expect(mapped(row({ event_params: [{ key: 'page_title', value: { string_value: 'Cart' } }] })).messageId).not.toBe(base.messageId);
    expect(mapped(row({ event_name: 'scroll' })).messageId).not.toBe(base.messageId);
  });

  it.each([
    [{ event_timestamp: 'soon' }, /event_timestamp: expected an INT64.*got "soon"/],
    [{ event_timestamp: undefined }, /event_timestamp: missing \(required\)/],
    [{ event_name: '' }, /event_name: must not be empty/],
    [{ event_params: [{ key: 'x', value: { int_value: '1.5' } }] }, /event_params\[0\]\.value\.int_value: expected an INT64/],
    [{ privacy_info: { analytics_storage: 'maybe' } }, /privacy_info\.analytics_storage: expected "Yes" or "No"/],
    [{ user_pseudo_id: null, user_id: null }, /neither user_id nor user_pseudo_id/],
    [{ user_pseudo_id: '', user_id: '' }, /neither user_id nor user_pseudo_id/],
    [{ event_timestamp: '1709287200123' }, /before 2000-01-01.*milliseconds/],
    [{ event_timestamp: '1909287200123456' }, /in the future/],
  ])('rejects a bad row with the field and the reason (%o)', (overrides, reason) => {
    const result = ga4RecordToEvent(row(overrides), { now: NOW });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('rejects input that is not a row object', () => {
    for (const input of [null, 42, 'text', [1, 2]]) {
      const result = ga4RecordToEvent(input, { now: NOW });
      expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/^expected a GA4 export row/) });
    }
  });
});
