import type { CsvOrdersColumns } from './csv-orders-config.js';

/** Field positions of the mapped columns in one file's header. */
export interface ColumnLayout {
  /** Number of fields in the header: every row must have as many. */
  width: number;
  /** One position, or several whose values together make up the order id. */
  orderId: number[];
  customerId: number;
  timestamp: number;
  /** Null when not mapped: each line then counts once (line_amount only). */
  quantity: number | null;
  /** Null when the amount comes from line_amount. */
  unitPrice: number | null;
  lineAmount: number | null;
  productId: number | null;
  productName: number | null;
  category: number | null;
  currency: number | null;
  /** [property name, field position] pairs. */
  properties: Array<[string, number]>;
}

export type LayoutResult = { ok: true; layout: ColumnLayout } | { ok: false; missing: MissingColumn[] };

export interface MissingColumn {
  /** Where it is mapped, e.g. `columns.customer_id` or `properties.country`. */
  setting: string;
  column: string;
  suggestion: string | null;
}

/**
 * Locates every mapped column in a header. Names match exactly (after
 * trimming): guessing "customerid" for "CustomerID" would hide a typo that
 * may also exist elsewhere in the mapping; the suggestion says it instead.
 */
export function layoutColumns(header: readonly string[], columns: CsvOrdersColumns, properties: ReadonlyArray<[string, string]>): LayoutResult {
  const positions = new Map<string, number>();
  header.forEach((name, index) => {
    const key = name.trim();
    if (!positions.has(key)) positions.set(key, index);
  });
  const missing: MissingColumn[] = [];
  const find = (setting: string, column: string | undefined): number | null => {
    if (column === undefined) return null;
    const position = positions.get(column.trim());
    if (position !== undefined) return position;
    missing.push({ setting, column, suggestion: closestName(column, header) });
    return -1;
  };
  const layout: ColumnLayout = {
    width: header.length,
    orderId: typeof columns.order_id === 'string'
      ? [find('columns.order_id', columns.order_id) ?? -1]
      : columns.order_id.map((column, index) => find(`columns.order_id.${index}`, column) ?? -1),
    customerId: find('columns.customer_id', columns.customer_id) ?? -1,
    timestamp: find('columns.timestamp', columns.timestamp) ?? -1,
    quantity: find('columns.quantity', columns.quantity),
    unitPrice: find('columns.unit_price', columns.unit_price),
    lineAmount: find('columns.line_amount', columns.line_amount),
    productId: find('columns.product_id', columns.product_id),
    productName: find('columns.product_name', columns.product_name),
    category: find('columns.category', columns.category),
    currency: find('columns.currency', columns.currency),
    properties: properties.map(([name, column]) => [name, find(`properties.${name}`, column) ?? -1]),
  };
  return missing.length === 0 ? { ok: true, layout } : { ok: false, missing };
}

/** The user-facing sentence for `csv.column_missing`. */
export function describeMissingColumns(file: string, missing: readonly MissingColumn[], header: readonly string[]): string {
  const items = missing.map(({ setting, column, suggestion }) => `${setting} "${column}"${suggestion === null ? '' : ` (did you mean "${suggestion}"?)`}`);
  const found = header.map((name) => `"${name}"`).join(', ');
  return `${file}: ${missing.length === 1 ? 'a mapped column is' : `${missing.length} mapped columns are`} not in the header: ${items.join('; ')}. Header found on line 1: ${found}. Fix the mapping's column names (they are case-sensitive) or the file's header.`;
}

/** Closest header name by case-insensitive edit distance, when close enough to be a typo. */
export function closestName(wanted: string, header: readonly string[]): string | null {
  const target = wanted.trim().toLowerCase();
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of header) {
    const distance = editDistance(target, name.trim().toLowerCase());
    if (distance < bestDistance) {
      best = name.trim();
      bestDistance = distance;
    }
  }
  const tolerance = Math.max(2, Math.floor(target.length / 3));
  return bestDistance <= tolerance ? best : null;
}

function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row++) {
    const current = [row];
    for (let column = 1; column <= right.length; column++) {
      const substitution = previous[column - 1] + (left[row - 1] === right[column - 1] ? 0 : 1);
      current.push(Math.min(previous[column] + 1, current[column - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length];
}
