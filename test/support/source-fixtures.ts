import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateRetailWorld } from '../../core/generate/index.js';
import { openSpoolWriter } from '../../core/ingest/spool/spool-writer.js';
import { spoolDirectory } from '../../connectors/sources/segment-api/index.js';

/**
 * One source as the contract suite drives it: a mapping section reading
 * `records` input records of which `bad` are refused (each with a reason),
 * large enough that a run commits several times.
 */
export interface SourceFixture {
  name: string;
  /** Writes the input into `directory` (and `stateDir`, for sources whose input lives there); returns the `sources:` item. */
  prepare(directory: string, stateDir: string): Promise<string>;
  /** Input records, and how many of them are refused (each with a reason). */
  records: number;
  bad: number;
  /** Distinct events the good records make (CSV lines group into orders). */
  events: number;
  env?: Record<string, string>;
}

const START = Date.UTC(2026, 5, 1);
const WORLD_USERS = 250;

/** Segment messages of the seeded world, with every 997th line broken in a different way. */
function worldLines(): { lines: string[]; bad: number } {
  const lines: string[] = [];
  let bad = 0;
  let index = 0;
  for (const { message } of generateRetailWorld({ seed: 5, users: WORLD_USERS, start: START, days: 150, duplicateRate: 0 })) {
    index += 1;
    if (index % 997 === 0) {
      bad += 1;
      lines.push(index % 2 === 0 ? '{"type": "track", "event": "Truncated' : JSON.stringify({ ...message, userId: null, anonymousId: null }));
    } else {
      lines.push(JSON.stringify(message));
    }
  }
  return { lines, bad };
}

const world = worldLines();

export const SOURCE_FIXTURES: readonly SourceFixture[] = [
  {
    name: 'segment-files',
    records: world.lines.length,
    bad: world.bad,
    events: world.lines.length - world.bad,
    async prepare(directory) {
      writeFileSync(join(directory, 'events.jsonl'), `${world.lines.join('\n')}\n`);
      return '  - id: src\n    type: segment-files\n    path: events.jsonl\n    checkpoint_every: 4000\n    bulk_load: false';
    },
  },
  {
    name: 'segment-api (the ingest journal)',
    records: world.lines.length,
    bad: world.bad,
    events: world.lines.length - world.bad,
    env: { CONTRACT_WRITE_KEY: 'contract-key' },
    async prepare(_directory, stateDir) {
      // As the server writes it: accepted requests appended to the journal, in several files.
      const writer = await openSpoolWriter(spoolDirectory(stateDir, 'src'), { maxFileBytes: 2 * 1024 * 1024 });
      for (let start = 0; start < world.lines.length; start += 100) await writer.append(`${world.lines.slice(start, start + 100).join('\n')}\n`);
      await writer.close();
      return "  - id: src\n    type: segment-api\n    write_keys: ['${env:CONTRACT_WRITE_KEY}']\n    checkpoint_every: 4000";
    },
  },
  {
    name: 'csv-orders',
    records: 80_000,
    bad: 80,
    events: 40_000 - 40,
    async prepare(directory) {
      // Two lines per order; every 1000th order has an unreadable date on its first line.
      const rows = ['order_id,customer_id,ordered_at,sku,quantity,unit_price'];
      for (let order = 0; order < 40_000; order++) {
        const date = order % 1000 === 999 ? 'not-a-date' : new Date(START + order * 60_000).toISOString();
        rows.push(`o${order},c${order % 900},${date},A${order % 30},1,9.5`, `o${order},c${order % 900},${date},B${order % 20},2,3.25`);
      }
      writeFileSync(join(directory, 'orders.csv'), `${rows.join('\n')}\n`);
      return [
        '  - id: src', '    type: csv-orders', '    path: orders.csv', '    currency: EUR', '    checkpoint_every: 3000',
        '    columns: { order_id: order_id, customer_id: customer_id, timestamp: ordered_at, product_id: sku, quantity: quantity, unit_price: unit_price }',
      ].join('\n');
    },
  },
];
