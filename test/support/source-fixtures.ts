import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateRetailWorld } from '../../core/generate/index.js';
import { openSpoolWriter } from '../../core/ingest/spool/spool-writer.js';
import { spoolDirectory } from '../../connectors/sources/segment-api/index.js';
import { startMixpanelExportFake } from '../fakes/mixpanel/export-fake.js';
import { createFakeServiceAccount, ga4Row, startBigQueryFake } from '../fakes/bigquery/index.js';

/** Vendor fakes the fixtures started (they serve the child runs); closed by the suite. */
const openFakes: Array<() => Promise<void>> = [];
export async function closeFixtureFakes(): Promise<void> {
  for (const close of openFakes.splice(0)) await close();
}

const MIXPANEL_DAYS = 12;
const MIXPANEL_PER_DAY = 2_500;
const GA4_DAYS = 8;
const GA4_PER_DAY = 2_000;
const GA4_ACCOUNT = createFakeServiceAccount('contract');

/** Synthetic messages: enough for two checkpoints (one per 100k messages). */
const SYNTHETIC_USERS = 2000;
let syntheticMessages = 0;
for (const _message of generateRetailWorld({ seed: 8, users: SYNTHETIC_USERS, start: START_SYNTHETIC(), days: 150, duplicateRate: 0 })) syntheticMessages += 1;
function START_SYNTHETIC(): number {
  return Date.UTC(2026, 4, 1);
}

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
    name: 'synthetic',
    records: syntheticMessages,
    bad: 0,
    events: syntheticMessages,
    async prepare() {
      return `  - id: src\n    type: synthetic\n    seed: 8\n    users: ${SYNTHETIC_USERS}\n    start: "2026-05-01"\n    days: 150`;
    },
  },
  {
    name: 'mixpanel (Export API fake)',
    records: MIXPANEL_DAYS * (MIXPANEL_PER_DAY + 2),
    bad: MIXPANEL_DAYS * 2,
    events: MIXPANEL_DAYS * MIXPANEL_PER_DAY,
    env: { CONTRACT_MP_USER: 'sa', CONTRACT_MP_SECRET: 'mp-secret' },
    async prepare() {
      // One fake per prepared directory: its 60 exports an hour are not shared between the suite's runs.
      const fake = await startMixpanelExportFake({ projectId: '777', username: 'sa', secret: 'mp-secret', limits: { perSecond: 3, perHour: 500 } });
      openFakes.push(() => fake.close());
      // Recent days (the source reads every day from from_date to today, at most 60 an hour).
      const first = Math.floor(Date.now() / 86_400_000) * 86_400 - (MIXPANEL_DAYS + 3) * 86_400;
      for (let day = 0; day < MIXPANEL_DAYS; day++) {
        fake.addEvents(Array.from({ length: MIXPANEL_PER_DAY }, (_, index) => ({
          event: index % 4 === 0 ? 'Order Completed' : 'Product Viewed',
          properties: { time: first + day * 86_400 + index * 30, distinct_id: `mp-user-${index % 400}`, $insert_id: `d${day}-${index}`, revenue: index % 4 === 0 ? 25 : undefined },
        })));
        fake.addRawLines(new Date((first + day * 86_400) * 1000).toISOString().slice(0, 10), ['{"event": "Broken', '[1, 2, 3]']);
      }
      return [
        '  - id: src', '    type: mixpanel', '    project_id: 777', `    base_url: ${fake.url}`, `    from_date: "${new Date(first * 1000).toISOString().slice(0, 10)}"`,
        "    service_account: { username: '${env:CONTRACT_MP_USER}', secret: '${env:CONTRACT_MP_SECRET}' }",
      ].join('\n');
    },
  },
  {
    name: 'ga4-bigquery (BigQuery REST fake, real client)',
    records: GA4_DAYS * GA4_PER_DAY,
    bad: GA4_DAYS * 2,
    events: GA4_DAYS * (GA4_PER_DAY - 2),
    env: { CONTRACT_GA4_KEY: GA4_ACCOUNT.json },
    async prepare() {
      const fake = await startBigQueryFake({ rowsPerPage: 500 });
      openFakes.push(() => fake.close());
      // The fake checks tokens against its own account: hand the fixture's key to it.
      Object.assign(fake.account, GA4_ACCOUNT);
      for (let day = 0; day < GA4_DAYS; day++) {
        const date = `202606${String(day + 1).padStart(2, '0')}`;
        fake.putTable('contract', 'analytics_1', `events_${date}`, Array.from({ length: GA4_PER_DAY }, (_, index) => ga4Row({
          day: date, second: index * 20, name: index % 5 === 0 ? 'purchase' : 'view_item',
          // Two rows a day with no identity at all: refused with a reason.
          pseudoId: index < 2 ? null : `p${index % 300}`, userId: null, sessionId: 1000 + (index % 50),
          params: { value: 12.5, seq: index },
          ...(index % 5 === 0 ? { ecommerce: { transaction_id: `t-${date}-${index}`, purchase_revenue: 12.5 } } : {}),
        })));
      }
      return [
        '  - id: src', '    type: ga4-bigquery', '    project: contract', '    dataset: analytics_1', "    credentials: '${env:CONTRACT_GA4_KEY}'",
        '    start_date: "2026-06-01"', `    api_endpoint: ${fake.url}`, '    page_size: 500', '    checkpoint_every: 1000',
      ].join('\n');
    },
  },
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
