import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { SourceMessage } from '../../../core/ingest/source.js';
import type { CsvOrdersSourceConfig } from './csv-orders-config.js';
import { createCsvOrdersSource } from './csv-orders-source.js';
import { onlineRetailMapping } from './online-retail-mapping.test-support.js';

const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
/** Physical line numbers are in the comments; lines 3-4 are one row (a quoted newline). */
const ROWS = [
  '536365,85123A,"WHITE HANGING HEART T-LIGHT HOLDER, LARGE",6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom', // 2
  '536365,71053,"WHITE METAL\nLANTERN",6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom', // 3-4
  '536365,22752,SET 7 BABUSHKA NESTING BOXES,2,2010-12-01 08:26:00,0,17850.0,United Kingdom', // 5: zero price
  'C536379,D,Discount,-1,2010-12-01 09:41:00,27.50,14527.0,United Kingdom', // 6: refund
  'C536379,22556,PLASTERS IN TIN CIRCUS PARADE,-12,2010-12-01 09:41:00,1.65,14527.0,United Kingdom', // 7
  '536380,22961,JAM MAKING SET PRINTED,24,2010-12-01 09:41:00,1.45,,United Kingdom', // 8: no customer
  '536381,82567,"AIRLINE LOUNGE,METAL SIGN",2,2010-12-01 09:45:00,2.1,15311.0,United Kingdom', // 9
  '536381,21955,DOORMAT UNION JACK GUNS AND ROSES,-5,2010-12-01 09:45:00,7.95,15311.0,United Kingdom', // 10: negative sale
  '536381,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6', // 11: short row
  '536381,22139,RETROSPOT TEA SET CERAMIC 11 PC,3,2010-13-45 10:00:00,4.95,15311.0,United Kingdom', // 12: bad date
  '536381,22411,JUMBO SHOPPER VINTAGE RED PAISLEY,10,2010-12-01 09:45:00,1.95,15311.0,France', // 13
  '536365,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,17850.0,United Kingdom', // 14: same id again
];
const CSV = `${[HEADER, ...ROWS].join('\n')}\n`;

const config = (path: string, extra: Partial<CsvOrdersSourceConfig> = {}): CsvOrdersSourceConfig => onlineRetailMapping('shop', path, extra);

let dir: string;
const context = (signal = new AbortController().signal) => ({ now: () => Date.UTC(2024, 0, 1), signal, baseDir: dir });

async function readAll(cfg: CsvOrdersSourceConfig, from?: SourceMessage & { type: 'checkpoint' }): Promise<SourceMessage[]> {
  const messages: SourceMessage[] = [];
  for await (const item of createCsvOrdersSource().read(cfg, from?.cursor, context())) messages.push(...flat(item));
  return messages;
}

/** The contract allows batches; this source yields single messages, but tests do not rely on it. */
function flat(item: SourceMessage | readonly SourceMessage[]): SourceMessage[] {
  return Array.isArray(item) ? [...(item as readonly SourceMessage[])] : [item as SourceMessage];
}

/** A compact view: what a user would check in the quarantine report and the event store. */
function summary(messages: SourceMessage[]): string[] {
  return messages.map((message) => {
    if (message.type === 'event') {
      const { event } = message;
      return `event ${event.event} ${event.messageId} user=${event.userId} revenue=${event.revenue} records=${message.records} line=${message.origin.line}`;
    }
    if (message.type === 'reject') return `reject line=${message.origin.line} ${message.reason}`;
    if (message.type === 'segment-json') return `segment-json line=${message.origin.line}`;
    return `checkpoint ${JSON.stringify(Object.values((message.cursor as { files: Record<string, { line: number; done: boolean }> }).files).map(({ line, done }) => ({ line, done })))}`;
  });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'segflow-csv-orders-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('csv-orders source: reading', () => {
  it('groups order lines into one event per order and rejects bad rows one by one', async () => {
    await writeFile(join(dir, 'orders.csv'), CSV);
    expect(summary(await readAll(config('orders.csv')))).toEqual([
      'reject line=5 non-positive unit price 0',
      'event Order Completed shop:536365:2 user=17850 revenue=35.64 records=2 line=2',
      'event Order Refunded shop:C536379:6 user=14527 revenue=47.3 records=2 line=6',
      'reject line=8 no customer id (column "CustomerID" is empty)',
      'reject line=10 non-positive quantity -5 in a sale (refunds use the "C" prefix)',
      'reject line=11 expected 8 columns (as in the header), found 4',
      'reject line=12 timestamp "2010-13-45 10:00:00" in column "InvoiceDate" is not a valid date (expected YYYY-MM-DD HH:MM[:SS] or ISO-8601)',
      'event Order Completed shop:536381:9 user=15311 revenue=23.7 records=2 line=9',
      'event Order Completed shop:536365:14 user=17850 revenue=11.1 records=1 line=14',
      'checkpoint [{"line":14,"done":true}]',
    ]);
  });

  it('builds the Segment-spec order: products, currency, mapped properties, timestamp of the first row', async () => {
    await writeFile(join(dir, 'orders.csv'), CSV);
    const messages = await readAll(config('orders.csv'));
    const [order, refund] = messages.filter((message) => message.type === 'event').map((message) => message.event);
    expect(order).toEqual({
      messageId: 'shop:536365:2',
      type: 'track',
      event: 'Order Completed',
      userId: '17850',
      anonymousId: null,
      deviceId: null,
      previousId: null,
      timestamp: Date.UTC(2010, 11, 1, 8, 26),
      receivedAt: null,
      revenue: 35.64,
      orderId: '536365',
      category: null,
      properties: {
        order_id: '536365',
        products: [
          { product_id: '85123A', name: 'WHITE HANGING HEART T-LIGHT HOLDER, LARGE', price: 2.55, quantity: 6 },
          { product_id: '71053', name: 'WHITE METAL\nLANTERN', price: 3.39, quantity: 6 },
        ],
        revenue: 35.64,
        currency: 'GBP',
        country: 'United Kingdom',
      },
      traits: {},
      context: {},
    });
    expect(refund.properties).toEqual({
      order_id: 'C536379',
      products: [
        { product_id: 'D', name: 'Discount', price: 27.5, quantity: 1 },
        { product_id: '22556', name: 'PLASTERS IN TIN CIRCUS PARADE', price: 1.65, quantity: 12 },
      ],
      revenue: 47.3,
      total: 47.3,
      currency: 'GBP',
      country: 'United Kingdom',
    });
  });

  it('gives each reject the raw row as its sample (the store redacts it, then cuts it to 200 characters)', async () => {
    const long = `536390,X,${'A'.repeat(300)},1,2010-12-01 10:00:00,1,,United Kingdom`;
    await writeFile(join(dir, 'orders.csv'), `${HEADER}\n${long}\n`);
    const [reject] = await readAll(config('orders.csv'));
    expect(reject).toEqual({ type: 'reject', origin: { file: join(dir, 'orders.csv'), line: 2 }, reason: 'no customer id (column "CustomerID" is empty)', sample: long });
  });

  it('reads gzip files and CRLF files to the same events, with the same line numbers', async () => {
    await writeFile(join(dir, 'plain.csv'), CSV);
    await writeFile(join(dir, 'zipped.csv.gz'), gzipSync(CSV));
    await writeFile(join(dir, 'windows.csv'), CSV.replaceAll('\n', '\r\n'));
    const plain = summary(await readAll(config('plain.csv')));
    expect(summary(await readAll(config('zipped.csv.gz')))).toEqual(plain);
    expect(summary(await readAll(config('windows.csv')))).toEqual(plain);
  });

  it('reads a directory or a glob in sorted order, one end-of-file checkpoint per file', async () => {
    await mkdir(join(dir, 'exports'));
    await writeFile(join(dir, 'exports', 'day-2.csv.gz'), gzipSync(`${HEADER}\n${ROWS[5]}\n`));
    await writeFile(join(dir, 'exports', 'day-1.csv'), `${HEADER}\n${ROWS[0]}\n`);
    await writeFile(join(dir, 'exports', 'notes.txt'), 'not an export');
    for (const path of ['exports', 'exports/*.csv*', '**/day-?.csv*']) {
      const messages = await readAll(config(path));
      expect(messages.map((message) => `${message.type} ${message.type === 'checkpoint' ? '' : message.origin.file.slice(dir.length)}`)).toEqual([
        'event /exports/day-1.csv',
        'checkpoint ',
        'reject /exports/day-2.csv.gz',
        'checkpoint ',
      ]);
    }
  });

  it('parses US dates in a fixed offset, takes the currency column, treats blank rows as nothing', async () => {
    const csv = 'order,customer,date,qty,price,cur\n7, 42 ,12/1/2010 8:26 PM,2,1.5,EUR\n,,,,,\n7,42,12/1/2010 8:27 PM,1,1,\n';
    await writeFile(join(dir, 'us.csv'), csv);
    const messages = await readAll({
      type: 'csv-orders',
      id: 'us',
      path: 'us.csv',
      columns: { order_id: 'order', customer_id: 'customer', timestamp: 'date', quantity: 'qty', unit_price: 'price', currency: 'cur' },
      timestamp_format: 'us',
      timezone: '-05:00',
    });
    expect(messages).toHaveLength(2);
    const [first] = messages;
    expect(first.type === 'event' && first.event).toMatchObject({
      userId: '42',
      timestamp: Date.UTC(2010, 11, 2, 1, 26),
      revenue: 4,
      properties: { currency: 'EUR', products: [{ price: 1.5, quantity: 2 }, { price: 1, quantity: 1 }] },
    });
    expect(first.type === 'event' && first.records).toBe(2);
  });

  it('reads a semicolon-separated latin1 export with European dates', async () => {
    const text = 'Bon;Kunde;Datum;Menge;Preis;Artikel\nB1;7;31.12.2023 23:30;1;2.5;Crème brûlée\n';
    await writeFile(join(dir, 'kasse.csv'), Buffer.from(text, 'latin1'));
    const [order] = await readAll({
      type: 'csv-orders',
      id: 'kasse',
      path: 'kasse.csv',
      delimiter: ';',
      encoding: 'latin1',
      columns: { order_id: 'Bon', customer_id: 'Kunde', timestamp: 'Datum', quantity: 'Menge', unit_price: 'Preis', product_name: 'Artikel' },
      timestamp_format: 'eu',
      timezone: '+01:00',
      currency: 'EUR',
    });
    expect(order.type === 'event' && order.event).toMatchObject({
      timestamp: Date.UTC(2023, 11, 31, 22, 30),
      properties: { products: [{ name: 'Crème brûlée', price: 2.5, quantity: 1 }], currency: 'EUR' },
    });
  });

  it('rejects a row whose customer differs from the rest of its order', async () => {
    await writeFile(join(dir, 'orders.csv'), `${HEADER}\n${ROWS[0]}\n${ROWS[0].replace('17850.0', '99999')}\n`);
    expect(summary(await readAll(config('orders.csv')))).toEqual([
      'reject line=3 customer id "99999" differs from the order\'s customer "17850"',
      'event Order Completed shop:536365:2 user=17850 revenue=15.3 records=1 line=2',
      'checkpoint [{"line":3,"done":true}]',
    ]);
  });

  it('stops promptly when aborted, without marking the file done', async () => {
    await writeFile(join(dir, 'orders.csv'), CSV);
    const controller = new AbortController();
    const seen: SourceMessage[] = [];
    for await (const item of createCsvOrdersSource().read(config('orders.csv', { checkpoint_every: 1 }), undefined, context(controller.signal))) {
      seen.push(...flat(item));
      controller.abort();
    }
    expect(summary(seen)).toEqual(['reject line=5 non-positive unit price 0']);
  });
});

describe('csv-orders source: check', () => {
  it('names the resolved path when the file is missing', async () => {
    const error = await createCsvOrdersSource().check(config('missing/orders.csv'), context()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'config', code: 'csv.file_missing' });
    expect((error as Error).message).toContain(join(dir, 'missing/orders.csv'));
  });

  it('lists every missing column with a suggestion and the header found', async () => {
    await writeFile(join(dir, 'orders.csv'), CSV);
    const cfg = config('orders.csv');
    cfg.columns = { ...cfg.columns, customer_id: 'CustomerId', unit_price: 'Price' };
    const error = await createCsvOrdersSource().check(cfg, context()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'config', code: 'csv.column_missing' });
    expect((error as Error).message).toBe(
      `${join(dir, 'orders.csv')}: 2 mapped columns are not in the header: columns.customer_id "CustomerId" (did you mean "CustomerID"?); columns.unit_price "Price". ` +
        'Header found on line 1: "InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country". ' +
        "Fix the mapping's column names (they are case-sensitive) or the file's header.",
    );
  });

  it('passes on a good mapping and rejects an invalid config with every issue', async () => {
    await writeFile(join(dir, 'orders.csv'), CSV);
    await expect(createCsvOrdersSource().check(config('orders.csv'), context())).resolves.toBeUndefined();
    const bad = { ...config('orders.csv'), timezone: 'Europe/London', properties: { revenue: 'UnitPrice' } };
    await expect(createCsvOrdersSource().check(bad, context())).rejects.toMatchObject({
      code: 'csv.config_invalid',
      message: expect.stringMatching(/timezone: .*fixed offset.*properties\.revenue: .*computed by the importer/),
    });
  });
});
