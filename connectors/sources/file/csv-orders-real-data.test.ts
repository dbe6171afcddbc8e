import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../core/events/canonical-event.js';
import type { SourceMessage } from '../../../core/ingest/source.js';
import { createCsvOrdersSource } from './csv-orders-source.js';
import { onlineRetailMapping } from './online-retail-mapping.test-support.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const DATASET = resolve(repoRoot, '..', 'shared', 'datasets', 'online-retail', 'online_retail.csv.gz');
const available = existsSync(DATASET);

const config = onlineRetailMapping('online-retail', DATASET);

describe('csv-orders source on the UCI Online Retail file', () => {
  it.skipIf(!available)(
    available ? 'reads all 541,909 rows into orders, refunds and rejections' : `SKIPPED: dataset absent at ${DATASET}`,
    async () => {
      const context = { now: () => Date.UTC(2024, 0, 1), signal: new AbortController().signal, baseDir: repoRoot };
      const source = createCsvOrdersSource();
      await source.check(config, context);

      let rows = 0;
      let lastCheckpoint: SourceMessage | undefined;
      const customers = new Set<string>();
      const orderIds = new Set<string>();
      const counts = { completed: 0, refunded: 0 };
      const reasons = new Map<string, number>();
      for await (const item of source.read(config, undefined, context)) {
        for (const message of Array.isArray(item) ? (item as readonly SourceMessage[]) : [item as SourceMessage]) {
          if (message.type === 'event') {
            rows += message.records ?? 1;
            if (message.event.event === 'Order Completed') {
              counts.completed++;
              customers.add(message.event.userId ?? '');
              orderIds.add(message.event.orderId ?? '');
            } else counts.refunded++;
          } else if (message.type === 'reject') {
            rows++;
            const reason = message.reason.replace(/-?\d+(\.\d+)?$/, 'N');
            reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
          } else lastCheckpoint = message;
        }
      }

      expect(rows).toBe(541_909);
      expect(Object.fromEntries(reasons)).toEqual({
        'no customer id (column "CustomerID" is empty)': 135_080,
        'non-positive unit price N': 40,
      });
      expect(customers.size).toBe(4_338);
      expect(orderIds.size).toBe(18_532);
      // Invoice 542806 is written in two separate blocks (lines 78088 and 78094): two events, one order id.
      expect(counts).toEqual({ completed: 18_533, refunded: 3_654 });
      expect(lastCheckpoint).toEqual({
        type: 'checkpoint',
        cursor: { files: { [DATASET]: expect.objectContaining({ line: 541_910, done: true }) } },
        progress: 1,
      });
    },
  );

  it.skipIf(!available)(
    available ? 'resumes from a mid-file checkpoint with exactly the remaining rows' : `SKIPPED: dataset absent at ${DATASET}`,
    async () => {
      const context = { now: () => Date.UTC(2024, 0, 1), signal: new AbortController().signal, baseDir: repoRoot };
      const source = createCsvOrdersSource();
      const halfConfig = { ...config, checkpoint_every: 10_000 };
      const read = async (from: JsonValue | undefined, stopAtFirstCheckpoint: boolean) => {
        let rows = 0;
        let cursor: JsonValue | undefined;
        outer: for await (const item of source.read(halfConfig, from, context)) {
          for (const message of Array.isArray(item) ? (item as readonly SourceMessage[]) : [item as SourceMessage]) {
            if (message.type === 'checkpoint') {
              cursor = message.cursor;
              if (stopAtFirstCheckpoint) break outer;
            } else rows += message.type === 'event' ? (message.records ?? 1) : 1;
          }
        }
        return { rows, cursor };
      };
      const first = await read(undefined, true);
      const rest = await read(first.cursor, false);
      expect(first.rows).toBeGreaterThan(0);
      expect(rest.rows).toBeGreaterThan(0);
      expect(first.rows + rest.rows).toBe(541_909);
    },
  );
});
