import type { CanonicalEvent, JsonObject } from '../../../core/events/canonical-event.js';
import type { ColumnLayout } from './column-layout.js';
import type { OrderLine } from './order-line.js';

/** Consecutive rows of one order id, as read from one file. */
export interface OrderBlock {
  orderId: string;
  refund: boolean;
  /** Physical line of the block's first row, accepted or not: part of the messageId. */
  firstLine: number;
  /** The accepted rows, in file order. */
  lines: OrderLine[];
}

export interface OrderEventOptions {
  sourceId: string;
  layout: ColumnLayout;
  /** Currency when the row has none (no column, or an empty cell). */
  currency: string | null;
}

/**
 * Builds the `Order Completed` / `Order Refunded` event of a block with at
 * least one accepted row. The messageId includes the first line so that two
 * separate blocks with the same order id stay two events, and re-reading the
 * same file yields the same ids (downstream dedup makes re-reads harmless).
 */
export function buildOrderEvent(block: OrderBlock, options: OrderEventOptions): CanonicalEvent {
  const { layout } = options;
  const first = block.lines[0];
  let amount = 0;
  const products = block.lines.map((line) => {
    amount += line.amount;
    const product: JsonObject = {};
    if (layout.productId !== null) product.product_id = text(line.fields[layout.productId]);
    if (layout.productName !== null) product.name = text(line.fields[layout.productName]);
    if (layout.category !== null) product.category = text(line.fields[layout.category]);
    product.price = line.unitPrice;
    product.quantity = line.quantity;
    return product;
  });
  // Summing floats (2.55 × 6 + …) leaves noise in the last digits.
  const revenue = Math.round(amount * 10_000) / 10_000;
  const currency = (layout.currency === null ? null : text(first.fields[layout.currency])) ?? options.currency;

  const properties: JsonObject = { order_id: block.orderId, products, revenue };
  if (block.refund) properties.total = revenue;
  if (currency !== null) properties.currency = currency;
  for (const [name, position] of layout.properties) properties[name] = text(first.fields[position]);

  const firstCategory = products.find((product) => typeof product.category === 'string')?.category;
  return {
    messageId: `${options.sourceId}:${block.orderId}:${block.firstLine}`,
    type: 'track',
    event: block.refund ? 'Order Refunded' : 'Order Completed',
    userId: first.customerId,
    anonymousId: null,
    deviceId: null,
    previousId: null,
    timestamp: first.timestamp,
    receivedAt: null,
    revenue,
    orderId: block.orderId,
    // Same lifting rule as the Segment normalizer: the first product's category.
    category: typeof firstCategory === 'string' ? firstCategory : null,
    properties,
    traits: {},
    context: {},
  };
}

/** Trimmed cell text; an empty cell is null rather than "". */
function text(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
