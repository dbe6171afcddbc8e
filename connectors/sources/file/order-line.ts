import type { ColumnLayout } from './column-layout.js';
import { TIMESTAMP_LAYOUTS, type TimestampFormat } from './order-timestamp.js';

/** One validated row of an order export. */
export interface OrderLine {
  orderId: string;
  customerId: string;
  timestamp: number;
  /** Always positive: a refund's negative quantity is stored as its absolute value. */
  quantity: number;
  /** Mapped, or the line amount divided by the quantity. */
  unitPrice: number;
  /** What the line adds to the order: line_amount (absolute), or quantity × unit price. */
  amount: number;
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
  const emptyIdColumn = layout.orderId.find((position) => fields[position].trim() === '');
  if (emptyIdColumn !== undefined) return reject(null, `no order id (column "${header[emptyIdColumn]}" is empty)`);
  // Parts of a composed id are joined with "|", which keeps ("a b", "c") and ("a", "b c") apart.
  const orderId = layout.orderId.map((position) => fields[position].trim()).join('|');

  const customerId = normalizeCustomerId(fields[layout.customerId]);
  if (customerId === '') return reject(orderId, `no customer id (column "${header[layout.customerId]}" is empty)`);

  const refund = isRefund(orderId, rules.refundPrefix);
  const saleHint = () => (rules.refundPrefix === null ? 'no refunds.order_id_prefix is configured' : `refunds use the "${rules.refundPrefix}" prefix`);
  let quantity = 1;
  if (layout.quantity !== null) {
    const quantityText = fields[layout.quantity].trim();
    const parsed = parseDecimal(quantityText);
    if (parsed === null) return reject(orderId, `quantity ${quote(quantityText)} in column "${header[layout.quantity]}" is not a number`);
    if (!refund && parsed <= 0) return reject(orderId, `non-positive quantity ${quantityText} in a sale (${saleHint()})`);
    if (refund && parsed === 0) return reject(orderId, `zero quantity in a refund`);
    quantity = Math.abs(parsed);
  }

  const money = layout.lineAmount !== null ? lineAmount(fields, layout.lineAmount, rules, refund, saleHint) : unitPriceAmount(fields, layout.unitPrice ?? -1, header);
  if (!money.ok) return reject(orderId, money.reason);
  const { amount } = money;
  const unitPrice = money.unitPrice ?? Math.round((amount / quantity) * 10_000) / 10_000;

  const timestampText = fields[layout.timestamp];
  const timestamp = rules.parseTimestamp(timestampText);
  if (timestamp === null) {
    return reject(
      orderId,
      `timestamp ${quote(timestampText.trim())} in column "${header[layout.timestamp]}" is not a valid date (expected ${TIMESTAMP_LAYOUTS[rules.timestampFormat]})`,
    );
  }
  return { ok: true, orderId, line: { orderId, customerId, timestamp, quantity, unitPrice, amount: money.unitPrice === undefined ? amount : quantity * unitPrice, fields } };
}

type LineMoney = { ok: true; amount: number; unitPrice?: number } | { ok: false; reason: string };

/** The line's amount from its line_amount column: positive in a sale, either sign in a refund (stored absolute). */
function lineAmount(fields: readonly string[], position: number, rules: OrderLineRules, refund: boolean, saleHint: () => string): LineMoney {
  const text = fields[position].trim();
  const amount = parseDecimal(text);
  if (amount === null) return { ok: false, reason: `line amount ${quote(text)} in column "${rules.header[position]}" is not a number` };
  if (refund && amount === 0) return { ok: false, reason: 'zero line amount in a refund' };
  if (!refund && amount === 0) return { ok: false, reason: `non-positive line amount ${text} in a sale` };
  if (!refund && amount < 0) return { ok: false, reason: `non-positive line amount ${text} in a sale (${saleHint()})` };
  return { ok: true, amount: Math.abs(amount) };
}

/** The unit price; the amount is then quantity × unit price (computed by the caller). */
function unitPriceAmount(fields: readonly string[], position: number, header: readonly string[]): LineMoney {
  const text = fields[position].trim();
  const unitPrice = parseDecimal(text);
  if (unitPrice === null) return { ok: false, reason: `unit price ${quote(text)} in column "${header[position]}" is not a number` };
  if (unitPrice <= 0) return { ok: false, reason: `non-positive unit price ${text}` };
  return { ok: true, amount: 0, unitPrice };
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
