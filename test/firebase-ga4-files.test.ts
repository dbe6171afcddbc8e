import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalEvent, JsonValue } from '../core/events/canonical-event.js';
import type { SourceMessage } from '../core/ingest/source.js';
import { createGa4BigQuerySource, createGa4FilesSource } from '../connectors/sources/firebase/index.js';
import { extractLine, ga4Row, startBigQueryFake, type BigQueryFake, type Ga4TestRow } from './fakes/bigquery/index.js';
import { temporaryDirectory } from './support/temporary-directory.js';

const NOW = Date.parse('2024-02-01T00:00:00Z');
const source = createGa4FilesSource();

function rows(day: string, count: number): Ga4TestRow[] {
  return Array.from({ length: count }, (_, index) =>
    index % 3 === 2
      ? ga4Row({
        day, second: index, name: 'purchase', pseudoId: `dev-${index % 4}`, userId: 'customer-1', sessionId: 1706000000 + index,
        params: { currency: 'GBP', value: 25.5 }, ecommerce: { transaction_id: `T-${day}-${index}`, purchase_revenue: 25.5, tax_value: 4.25 },
        items: [{ item_id: 'SKU-7', item_name: 'Teapot', item_category: 'Kitchen', price: 12.75, quantity: 2, item_list_index: '3' }],
        privacy: { analytics_storage: 'Yes', ads_storage: 'No' },
      })
      : ga4Row({ day, second: index, name: index % 3 === 0 ? 'page_view' : 'add_to_cart', pseudoId: `dev-${index % 4}`, sessionId: 1706000000, params: { page_title: `P${index}`, engagement_time_msec: 100 + index } }),
  );
}

const ndjson = (list: Ga4TestRow[]) => `${list.map(extractLine).join('\n')}\n`;

async function readAll(directory: string, path: string, from?: JsonValue, checkpointEvery?: number) {
  const messages: SourceMessage[] = [];
  const context = { now: () => NOW, signal: new AbortController().signal, baseDir: directory };
  for await (const item of source.read({ type: 'ga4-files', id: 'ga4', path, ...(checkpointEvery ? { checkpoint_every: checkpointEvery } : {}) }, from, context)) {
    messages.push(...(Array.isArray(item) ? item : [item as SourceMessage]));
  }
  const events = messages.flatMap((message) => (message.type === 'event' ? [message.event] : []));
  const checkpoints: Array<{ cursor: JsonValue; covers: number }> = [];
  let covered = 0;
  for (const message of messages) {
    if (message.type === 'event') covered++;
    if (message.type === 'checkpoint') checkpoints.push({ cursor: message.cursor, covers: covered });
  }
  return { messages, events, checkpoints, cursor: checkpoints.at(-1)?.cursor };
}

describe('ga4-files source (bq extract NDJSON)', () => {
  let fake: BigQueryFake;
  beforeAll(async () => {
    fake = await startBigQueryFake();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('maps the same rows to the same events as the BigQuery reader (INT64 strings vs f/v cells)', async () => {
    const directory = temporaryDirectory('ga4-files');
    const list = rows('20240110', 9);
    writeFileSync(join(directory, 'events_20240110.json'), ndjson(list));
    fake.putTable('shop-analytics', 'analytics_1', 'events_20240110', list);
    const fromFiles = (await readAll(directory, 'events_20240110.json')).events;
    const fromBigQuery: CanonicalEvent[] = [];
    const bigQuery = createGa4BigQuerySource({ env: { KEY: fake.account.json } });
    const config = { type: 'ga4-bigquery' as const, id: 'ga4', project: 'shop-analytics', dataset: 'analytics_1', credentials: '${env:KEY}', start_date: '2024-01-01', api_endpoint: fake.url };
    for await (const item of bigQuery.read(config, undefined, { now: () => NOW, signal: new AbortController().signal, baseDir: directory })) {
      for (const message of item as SourceMessage[]) if (message.type === 'event') fromBigQuery.push(message.event);
    }
    expect(fromFiles).toHaveLength(9);
    expect(fromFiles).toEqual(fromBigQuery);
    expect(fromFiles[2]).toMatchObject({
      event: 'Order Completed', orderId: 'T-20240110-2', revenue: 25.5, category: 'Kitchen',
      context: { consent: { categoryPreferences: { Analytics: true, Advertising: false } } },
    });
  });

  it('reads plain and gzip files of a directory in path order and reports bad lines with file and line', async () => {
    const directory = temporaryDirectory('ga4-files');
    writeFileSync(join(directory, 'a-20240101.json.gz'), gzipSync(ndjson(rows('20240101', 3))));
    writeFileSync(join(directory, 'b-20240102.json'), `${ndjson(rows('20240102', 2))}{"event_name":"page_view"}\nnot json\n\n`);
    writeFileSync(join(directory, 'notes.txt'), 'ignored');
    const { events, messages } = await readAll(directory, '.');
    expect(events.map((event) => new Date(event.timestamp).toISOString().slice(0, 10))).toEqual(['2024-01-01', '2024-01-01', '2024-01-01', '2024-01-02', '2024-01-02']);
    const rejects = messages.filter((message) => message.type === 'reject');
    expect(rejects).toEqual([
      expect.objectContaining({ origin: { file: join(directory, 'b-20240102.json'), line: 3 }, reason: 'event_timestamp: missing (required)' }),
      expect.objectContaining({ origin: { file: join(directory, 'b-20240102.json'), line: 4 }, reason: expect.stringMatching(/^not valid JSON/) }),
    ]);
  });

  it('resumes from any checkpoint with exactly the events it does not cover, and reads only appended lines', async () => {
    const directory = temporaryDirectory('ga4-files');
    const file = join(directory, 'events.ndjson');
    writeFileSync(file, ndjson(rows('20240103', 12)));
    const all = await readAll(directory, 'events.ndjson', undefined, 4);
    expect(all.events).toHaveLength(12);
    for (const checkpoint of all.checkpoints) {
      const resumed = await readAll(directory, 'events.ndjson', checkpoint.cursor, 4);
      expect(resumed.events.map((event) => event.messageId)).toEqual(all.events.slice(checkpoint.covers).map((event) => event.messageId));
    }
    appendFileSync(file, ndjson(rows('20240104', 2)));
    const appended = await readAll(directory, 'events.ndjson', all.cursor);
    expect(appended.events.map((event) => event.timestamp)).toEqual([Date.parse('2024-01-04T00:00:00.000Z'), Date.parse('2024-01-04T00:00:01.000Z')]);
  });

  it('check() names the missing path', async () => {
    const directory = temporaryDirectory('ga4-files');
    await expect(source.check({ type: 'ga4-files', id: 'ga4', path: 'nowhere/*.json' }, { now: () => NOW, signal: new AbortController().signal, baseDir: directory }))
      .rejects.toMatchObject({ kind: 'config', code: 'ga4-files.file_missing' });
  });
});
