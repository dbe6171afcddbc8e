import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CsvOrdersSourceSchema, resolveCsvOrdersSettings } from './csv-orders-config.js';

const minimal = {
  type: 'csv-orders',
  id: 'retail',
  path: 'exports/*.csv.gz',
  columns: { order_id: 'InvoiceNo', customer_id: 'CustomerID', timestamp: 'InvoiceDate', quantity: 'Quantity', unit_price: 'UnitPrice' },
};

describe('CsvOrdersSourceSchema', () => {
  it('converts to a JSON Schema where defaulted settings stay optional (editor autocompletion)', () => {
    const schema = z.toJSONSchema(CsvOrdersSourceSchema) as { required: string[]; properties: Record<string, { default?: unknown; description?: string }> };
    expect(schema.required.sort()).toEqual(['columns', 'id', 'path', 'type']);
    expect(schema.properties.delimiter).toMatchObject({ default: ',' });
    expect(schema.properties.checkpoint_every).toMatchObject({ default: 20_000 });
    expect(schema.properties.path.description).toContain('glob');
  });

  it('applies defaults in a separate step', () => {
    const settings = resolveCsvOrdersSettings(CsvOrdersSourceSchema.parse(minimal));
    expect(settings).toMatchObject({ delimiter: ',', encoding: 'utf8', timestampFormat: 'iso', offsetMinutes: 0, refundPrefix: null, checkpointEvery: 20_000, currency: null });
    expect(resolveCsvOrdersSettings(CsvOrdersSourceSchema.parse({ ...minimal, timezone: '-05:30' })).offsetMinutes).toBe(-330);
  });

  it('flags typos in setting names instead of ignoring them', () => {
    const result = CsvOrdersSourceSchema.safeParse({ ...minimal, timestamp_fromat: 'us' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['timestamp_fromat'] });
  });
});
