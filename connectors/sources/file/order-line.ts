import type { ColumnLayout } from './column-layout.js';
import { TIMESTAMP_LAYOUTS, type TimestampFormat } from './order-timestamp.js';

/** One validated row of an order export. */
export interface OrderLine {
  orderId: string;
  customerId: string;
  timestamp: number;
  /** Always positive: a refund's negative quantity is stored as its absolute value. */
  quantity: number;
  unitPrice: number;
  /** The row's fields, for product columns and mapped properties. */
  fields: string[];
}

/**
 * A row's verdict. `orderId` is set whenever the row names an order, even
 * when the row is rejected, so that a rejected row still belongs to its
 * order's block (and a block whose first row is rejected keeps its line).
 */
export type OrderLineVerdict =
  | { ok: true; orderId: string; line: OrderLine }
  | { ok: false; orderId: string | null; reason: string };

export interface OrderLineRules {
  layout: ColumnLayout;
  /** Header names, for reasons that quote the column. */
  header: readonly string[];
  refundPrefix: string | null;
  timestampFormat: TimestampFormat;
  parseTimestamp: (text: string) => number | null;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Spreadsheets write integer ids as floats: `17850.0`. */
const FLOAT_INTEGER = /^([+-]?\d+)\.0*$/;

/**
 * Validates one row. Checks run in a fixed order so that a row with several
 * problems always gets the same reason: shape, order id, customer id,
 * quantity (refund vs sale), unit price, timestamp.
 */
export function readOrderLine(fields: string[], rules: OrderLineRules): OrderLineVerdict {
  const { layout, header } = rules;
  if (fields.length !== layout.width) {
    return reject(null, `expected ${layout.width} columns (as in the header), found ${fields.length}`);
  }
  const orderId = fields[layout.orderId].trim();
  if (orderId === '') return reject(null, `no order id (column "${header[layout.orderId]}" is empty)`);

  const customerId = normalizeCustomerId(fields[layout.customerId]);
  if (customerId === '') return reject(orderId, `no customer id (column "${header[layout.customerId]}" is empty)`);

  const quantityText = fields[layout.quantity].trim();
  const quantity = parseDecimal(quantityText);
  if (quantity === null) return reject(orderId, `quantity ${quote(quantityText)} in column "${header[layout.quantity]}" is not a number`);
  const refund = isRefund(orderId, rules.refundPrefix);
  if (!refund && quantity <= 0) {
    const hint = rules.refundPrefix === null ? 'no refunds.order_id_prefix is configured' : `refunds use the "${rules.refundPrefix}" prefix`;
    return reject(orderId, `non-positive quantity ${quantityText} in a sale (${hint})`);
  }
  if (refund && quantity === 0) return reject(orderId, `zero quantity in a refund`);

  const priceText = fields[layout.unitPrice].trim();
  const unitPrice = parseDecimal(priceText);
  if (unitPrice === null) return reject(orderId, `unit price ${quote(priceText)} in column "${header[layout.unitPrice]}" is not a number`);
  if (unitPrice <= 0) return reject(orderId, `non-positive unit price ${priceText}`);

  const timestampText = fields[layout.timestamp];
  const timestamp = rules.parseTimestamp(timestampText);
  if (timestamp === null) {
    return reject(
      orderId,
      `timestamp ${quote(timestampText.trim())} in column "${header[layout.timestamp]}" is not a valid date (expected ${TIMESTAMP_LAYOUTS[rules.timestampFormat]})`,
    );
  }
  return { ok: true, orderId, line: { orderId, customerId, timestamp, quantity: Math.abs(quantity), unitPrice, fields } };
}

export function isRefund(orderId: string, refundPrefix: string | null): boolean {
  return refundPrefix !== null && orderId.startsWith(refundPrefix);
}

/** `' 17850.0 '` → `'17850'`; other values are only trimmed. */
export function normalizeCustomerId(text: string): string {
  const trimmed = text.trim();
  const match = FLOAT_INTEGER.exec(trimmed);
  return match === null ? trimmed : match[1];
}

/** A plain decimal number, or null (rejects "", "1,5", "0x10", "Infinity"). */
export function parseDecimal(text: string): number | null {
  if (!DECIMAL.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

function reject(orderId: string | null, reason: string): OrderLineVerdict {
  return { ok: false, orderId, reason };
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
