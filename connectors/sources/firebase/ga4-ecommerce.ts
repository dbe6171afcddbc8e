import type { JsonObject, JsonValue } from '../../../core/events/canonical-event.js';
import { int64Value } from './ga4-params.js';
import type { Ga4Item, Ga4Row } from './ga4-row.js';

/**
 * GA4 recommended e-commerce events → the Segment e-commerce spec names core
 * counts (mapping `events:` defaults). Every other event keeps its GA4 name.
 */
export const GA4_ECOMMERCE_EVENTS: Readonly<Record<string, string>> = {
  view_item: 'Product Viewed',
  add_to_cart: 'Product Added',
  begin_checkout: 'Checkout Started',
  purchase: 'Order Completed',
  refund: 'Order Refunded',
};

/** Events whose Segment spec describes one product at the top level. */
const SINGLE_PRODUCT = new Set(['view_item', 'add_to_cart']);

/**
 * The Segment-spec properties of a GA4 e-commerce row, to be laid over the
 * flattened parameters (so `transaction_id` read from `ecommerce` wins over a
 * stale parameter of the same meaning). `params` are the flattened event_params.
 */
export function ecommerceProperties(row: Ga4Row, params: JsonObject): JsonObject {
  const products = (row.items ?? []).map(productOf);
  const properties: JsonObject = {};
  if (products.length > 0) properties.products = products;
  const currency = stringParam(params.currency);
  if (currency !== null) properties.currency = currency;
  const value = numberParam(params.value);
  if (value !== null) properties.value = value;
  const orderId = transactionId(row, params);
  if (orderId !== null) properties.order_id = orderId;
  const commerce = row.ecommerce;

  if (SINGLE_PRODUCT.has(row.event_name) && products[0] !== undefined) Object.assign(properties, products[0]);
  if (row.event_name === 'purchase') {
    setNumber(properties, 'revenue', commerce?.purchase_revenue ?? value);
    setNumber(properties, 'tax', commerce?.tax_value ?? numberParam(params.tax));
    setNumber(properties, 'shipping', commerce?.shipping_value ?? numberParam(params.shipping));
    const coupon = stringParam(params.coupon);
    if (coupon !== null) properties.coupon = coupon;
    const affiliation = stringParam(params.affiliation);
    if (affiliation !== null) properties.affiliation = affiliation;
  }
  if (row.event_name === 'refund') {
    // Like the CSV importer's refunds: the refunded amount as revenue and total.
    const refunded = commerce?.refund_value ?? value;
    setNumber(properties, 'revenue', refunded);
    setNumber(properties, 'total', refunded);
  }
  return properties;
}

/** A GA4 item as a Segment product; empty fields are left out. */
export function productOf(item: Ga4Item): JsonObject {
  const product: JsonObject = {};
  const set = (key: string, value: JsonValue | null) => {
    if (value !== null && value !== '') product[key] = value;
  };
  set('product_id', item.item_id);
  set('name', item.item_name);
  set('brand', item.item_brand);
  set('variant', item.item_variant);
  set('category', item.item_category);
  set('price', item.price);
  set('quantity', item.quantity === null ? null : int64Value(item.quantity));
  set('coupon', item.coupon);
  set('affiliation', item.affiliation);
  set('list_name', item.item_list_name);
  const position = item.item_list_index === null ? NaN : Number(item.item_list_index);
  if (Number.isInteger(position)) product.position = position;
  return product;
}

/** GA4 writes "(not set)" where a tag sent no transaction id: that is no id. */
function transactionId(row: Ga4Row, params: JsonObject): string | null {
  const candidates = [row.ecommerce?.transaction_id ?? null, stringParam(params.transaction_id)];
  for (const candidate of candidates) {
    if (candidate !== null && candidate !== '' && candidate !== '(not set)') return candidate;
  }
  return null;
}

function setNumber(properties: JsonObject, key: string, value: number | null | undefined): void {
  if (value !== null && value !== undefined) properties[key] = value;
}

function stringParam(value: JsonValue | undefined): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

function numberParam(value: JsonValue | undefined): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}
