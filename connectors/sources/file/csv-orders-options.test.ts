import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SourceMessage } from '../../../core/ingest/source.js';
import { CsvOrdersSourceSchema, resolveCsvOrdersSettings, type CsvOrdersSourceConfig } from './csv-orders-config.js';
import { createCsvOrdersSource } from './csv-orders-source.js';

/** Issue 9, item 7.6: line amounts, order ids made of columns, whitespace-separated files. */
async function read(content: string, config: Omit<CsvOrdersSourceConfig, 'type' | 'id' | 'path'>, name = 'orders.csv', path = name): Promise<SourceMessage[]> {
  const directory = mkdtempSync(join(tmpdir(), 'segflow-csv-options-'));
  writeFileSync(join(directory, name), content);
  const full = CsvOrdersSourceSchema.parse({ type: 'csv-orders', id: 'pos', path, ...config });
  const context = { now: () => Date.UTC(2025, 0, 1), signal: new AbortController().signal, baseDir: directory };
  const source = createCsvOrdersSource();
  await source.check(full, context);
  const messages: SourceMessage[] = [];
  for await (const item of source.read(full, undefined, context)) messages.push(...(Array.isArray(item) ? (item as SourceMessage[]) : [item as SourceMessage]));
  return messages.filter((message) => message.type !== 'checkpoint');
}

const view = (messages: SourceMessage[]) => messages.map((message) => {
  if (message.type === 'event') {
    const { event } = message;
    return { id: event.messageId, user: event.userId, revenue: event.revenue, products: (event.properties as { products: unknown[] }).products };
  }
  return message.type === 'reject' ? { line: message.origin.line, reason: message.reason } : message.type;
});

describe('csv-orders options', () => {
  it('takes the amount of each line from a line-amount column instead of quantity × unit price', async () => {
    const csv = 'order,customer,date,qty,sku,amount\nA1,c1,2024-01-02 10:00,2,S1,9.90\nA1,c1,2024-01-02 10:00,1,S2,5.00\nA2,c2,2024-01-03 10:00,3,S3,0\n';
    const messages = await read(csv, { columns: { order_id: 'order', customer_id: 'customer', timestamp: 'date', quantity: 'qty', line_amount: 'amount', product_id: 'sku' } });
    expect(view(messages)).toEqual([
      { id: 'pos:A1:2', user: 'c1', revenue: 14.9, products: [{ product_id: 'S1', price: 4.95, quantity: 2 }, { product_id: 'S2', price: 5, quantity: 1 }] },
      { line: 4, reason: 'non-positive line amount 0 in a sale' },
    ]);
  });

  it('without a quantity column, each line counts once at its amount', async () => {
    const csv = 'order,customer,date,amount\nB1,c1,2024-01-02 10:00,12.5\n';
    const messages = await read(csv, { columns: { order_id: 'order', customer_id: 'customer', timestamp: 'date', line_amount: 'amount' } });
    expect(view(messages)).toEqual([{ id: 'pos:B1:2', user: 'c1', revenue: 12.5, products: [{ price: 12.5, quantity: 1 }] }]);
  });

  it('reads a refund\'s line amount, negative or not, as its absolute value', async () => {
    const csv = 'order,customer,date,amount\nC9,c1,2024-01-02 10:00,-4.5\nC9,c1,2024-01-02 10:00,1.5\n';
    const messages = await read(csv, { refunds: { order_id_prefix: 'C' }, columns: { order_id: 'order', customer_id: 'customer', timestamp: 'date', line_amount: 'amount' } });
    expect(messages.map((message) => (message.type === 'event' ? [message.event.event, message.event.revenue] : message.type))).toEqual([['Order Refunded', 6]]);
  });

  it('composes the order id from several columns (one order per customer and day)', async () => {
    const csv = 'customer,day,qty,price\nc1,2024-01-02,1,10\nc1,2024-01-02,2,5\nc1,2024-01-03,1,7\nc2,2024-01-03,1,3\n';
    const messages = await read(csv, { columns: { order_id: ['customer', 'day'], customer_id: 'customer', timestamp: 'day', quantity: 'qty', unit_price: 'price' } });
    expect(view(messages).map((item) => (typeof item === 'object' && 'id' in item ? [item.id, item.revenue] : item))).toEqual([
      ['pos:c1|2024-01-02:2', 20],
      ['pos:c1|2024-01-03:4', 7],
      ['pos:c2|2024-01-03:5', 3],
    ]);
  });

  it('reads whitespace-separated files (runs of spaces or tabs) with delimiter: whitespace', async () => {
    const text = 'order   customer  date        qty  price\nW1      c1        2024-01-02  2    1.50\nW1\tc1\t2024-01-02\t1\t2\n\nW2      c2        2024-01-05  1    4\n';
    // Such exports are often .txt: a glob picks them up when the delimiter is whitespace or tab.
    const messages = await read(text, { delimiter: 'whitespace', columns: { order_id: 'order', customer_id: 'customer', timestamp: 'date', quantity: 'qty', unit_price: 'price' } }, 'orders.txt', '*.txt');
    expect(view(messages).map((item) => (typeof item === 'object' && 'id' in item ? [item.id, item.revenue] : item))).toEqual([['pos:W1:2', 5], ['pos:W2:5', 4]]);
  });

  it('takes "tab" for a tab character', () => {
    const parsed = CsvOrdersSourceSchema.parse({ type: 'csv-orders', id: 'pos', path: 'x.tsv', delimiter: 'tab', columns: { order_id: 'o', customer_id: 'c', timestamp: 't', line_amount: 'a' } });
    expect(resolveCsvOrdersSettings(parsed).delimiter).toBe('\t');
  });

  it('says which columns are missing when neither a line amount nor quantity and unit price are mapped', () => {
    const result = CsvOrdersSourceSchema.safeParse({ type: 'csv-orders', id: 'pos', path: 'x.csv', columns: { order_id: 'o', customer_id: 'c', timestamp: 't', quantity: 'q' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['columns'], message: 'map either line_amount (the amount of each line) or unit_price (amount = quantity × unit_price)' });
  });

  it('documents the new settings in the JSON Schema', () => {
    const schema = JSON.stringify(z.toJSONSchema(CsvOrdersSourceSchema));
    expect(schema).toContain('line_amount');
    expect(schema).toContain('whitespace');
  });
});
