import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { SourceMessage } from '../../../core/ingest/source.js';
import type { CsvOrdersSourceConfig } from './csv-orders-config.js';
import { createCsvOrdersSource } from './csv-orders-source.js';
import { onlineRetailMapping } from './online-retail-mapping.test-support.js';

/**
 * Any file under a csv-orders mapping: every row becomes part of an order
 * event or a reject with a reason, the run ends with a checkpoint, and the
 * only thing that may stop it is one located error (a missing header column,
 * a quote never closed), never a stack trace from the parser.
 */
const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
const dir = mkdtempSync(join(tmpdir(), 'segflow-csv-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const field = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('536365', 'C536379', '2010-12-01 08:26:00', '2010-13-45 10:00', '17850.0', '', '-3', '2.55', '1e400', '"quoted, comma"', '"unterminated', 'x\ny'),
);
const row = fc.array(field, { minLength: 0, maxLength: 10 }).map((fields) => fields.join(','));
const file = fc.tuple(fc.boolean(), fc.array(row, { maxLength: 25 }), fc.constantFrom('\n', '\r\n')).map(([header, rows, eol]) => `${[...(header ? [HEADER] : []), ...rows].join(eol)}${eol}`);

describe('csv-orders parser (property)', () => {
  it('turns any file into events and reasoned rejects, or one located error', async () => {
    let index = 0;
    const seen = { event: 0, reject: 0, config: 0 };
    await fc.assert(fc.asyncProperty(file, async (text) => {
      const path = join(dir, `f${index++}.csv`);
      writeFileSync(path, text);
      const config: CsvOrdersSourceConfig = onlineRetailMapping('shop', path, {});
      const messages: SourceMessage[] = [];
      try {
        for await (const item of createCsvOrdersSource().read(config, undefined, { now: () => Date.UTC(2024, 0, 1), signal: new AbortController().signal, baseDir: dir })) {
          messages.push(...(Array.isArray(item) ? item : [item]) as SourceMessage[]);
        }
      } catch (error) {
        // A missing header column (config), or quoting broken so the rest cannot be framed
        // (permanent): either way one message naming the file, never a parser stack trace.
        expect(error).toBeInstanceOf(ConnectorError);
        expect(['config', 'permanent']).toContain((error as ConnectorError).kind);
        expect((error as Error).message).toContain(path);
        seen.config += 1;
        return;
      }
      for (const message of messages) {
        if (message.type === 'reject') {
          seen.reject += 1;
          expect(message.reason.length).toBeGreaterThan(5);
          expect(message.origin.line).toBeGreaterThan(0);
        }
        if (message.type === 'event') seen.event += 1;
      }
      expect(messages.at(-1)?.type).toBe('checkpoint');
    }), { numRuns: 150, seed: 20261203 });
    expect(seen.reject).toBeGreaterThan(10);
    expect(seen.config).toBeGreaterThan(5);
  });
});
