import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../core/events/canonical-event.js';
import { ConnectorError } from '../core/errors/index.js';
import { runIngest } from '../core/ingest/ingest-runner.js';
import type { SourceContext, SourceMessage } from '../core/ingest/source.js';
import { openEventStore } from '../core/store/event-store.js';
import { createGa4BigQuerySource, type Ga4BigQuerySourceConfig } from '../connectors/sources/firebase/index.js';
import { ga4Row, startBigQueryFake, type BigQueryFake, type Ga4TestRow } from './fakes/bigquery/index.js';
import { temporaryDirectory } from './support/temporary-directory.js';

const PROJECT = 'shop-analytics';
const DATASET = 'analytics_153293282';
const DAYS = ['20240101', '20240102', '20240103', '20240104', '20240105'];
const at = (iso: string) => () => Date.parse(iso);

let fake: BigQueryFake;
const sleeps: number[] = [];
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  fake = await startBigQueryFake({ tablesPerPage: 2 });
  env = { GA4_KEY: fake.account.json };
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  sleeps.length = 0;
  fake.reset();
  for (const day of [...DAYS, '20240106']) {
    fake.dropTable(PROJECT, DATASET, `events_${day}`);
    fake.dropTable(PROJECT, DATASET, `events_intraday_${day}`);
  }
});

/** Four events per day from two devices, one of them a purchase. */
function dayRows(day: string): Ga4TestRow[] {
  return [
    ga4Row({ day, second: 10, name: 'page_view', pseudoId: 'dev-a', sessionId: 1704100000, params: { page_title: 'Home' } }),
    ga4Row({ day, second: 20, name: 'view_item', pseudoId: 'dev-a', sessionId: 1704100000, items: [{ item_id: 'SKU-1', item_name: 'Mug', price: 9.5, quantity: 1 }] }),
    ga4Row({ day, second: 30, name: 'page_view', pseudoId: 'dev-b', params: { page_title: 'Cart' } }),
    ga4Row({
      day, second: 40, name: 'purchase', pseudoId: 'dev-b', userId: 'customer-7', params: { currency: 'EUR', value: 19 },
      ecommerce: { transaction_id: `T-${day}`, purchase_revenue: 19 }, items: [{ item_id: 'SKU-1', price: 9.5, quantity: 2 }],
    }),
  ];
}

function seed(days = DAYS) {
  for (const day of days) fake.putTable(PROJECT, DATASET, `events_${day}`, dayRows(day));
  // Not export tables: the reader must ignore them.
  fake.putTable(PROJECT, DATASET, 'pseudonymous_users_20240105', []);
}

const config = (overrides: Partial<Ga4BigQuerySourceConfig> = {}): Ga4BigQuerySourceConfig => ({
  type: 'ga4-bigquery', id: 'ga4', project: PROJECT, dataset: DATASET, credentials: '${env:GA4_KEY}', start_date: '2024-01-01',
  api_endpoint: fake.url, page_size: 3, ...overrides,
});

const source = () => createGa4BigQuerySource({ env, retry: { sleep: async (ms) => void sleeps.push(ms) } });

function context(now: () => number): SourceContext {
  return { now, signal: new AbortController().signal, baseDir: '/' };
}

async function readAll(options: { from?: JsonValue; now?: () => number; overrides?: Partial<Ga4BigQuerySourceConfig> } = {}) {
  const messages: SourceMessage[] = [];
  for await (const item of source().read(config(options.overrides), options.from, context(options.now ?? at('2024-02-01T00:00:00Z')))) {
    messages.push(...(Array.isArray(item) ? item : [item as SourceMessage]));
  }
  const events = messages.flatMap((message) => (message.type === 'event' ? [message.event] : []));
  const checkpoints = messages.flatMap((message, index) => (message.type === 'checkpoint' ? [{ cursor: message.cursor, covers: messages.slice(0, index).filter((m) => m.type === 'event').length }] : []));
  return { messages, events, checkpoints, cursor: checkpoints.at(-1)?.cursor };
}

describe('ga4-bigquery source against the BigQuery fake, through @google-cloud/bigquery', () => {
  it('reads every daily table in date order, page by page, with a signed service-account token', async () => {
    seed();
    const { events, cursor } = await readAll();
    expect(events).toHaveLength(DAYS.length * 4);
    expect(events.map((event) => event.timestamp)).toEqual([...events.map((event) => event.timestamp)].sort((a, b) => a - b));
    expect(events.filter((event) => event.event === 'Order Completed').map((event) => event.orderId)).toEqual(DAYS.map((day) => `T-${day}`));
    expect(cursor).toEqual({ ga4: 'bigquery', dataset: `${PROJECT}.${DATASET}`, complete: '20240105' });
    // tables.list paged (2 per page) and each 4-row table took two tabledata.list pages of 3.
    const pagedTables = fake.requests.filter((request) => request.api === 'tables.list' && request.pageToken !== undefined);
    expect(pagedTables.length).toBeGreaterThanOrEqual(2);
    const day1 = fake.requests.filter((request) => request.api === 'tabledata.list' && request.table === 'events_20240101');
    expect(day1.map((request) => request.pageToken === undefined)).toEqual([true, false]);
    expect(fake.requests.every((request) => request.status !== 401)).toBe(true);
  });

  it('decodes f/v rows: µs timestamps, INT64 params, nested items, the session', async () => {
    seed(['20240101']);
    const { events } = await readAll();
    const view = events.find((event) => event.event === 'Product Viewed')!;
    expect(view.timestamp).toBe(Date.parse('2024-01-01T00:00:20.000Z'));
    expect(view.properties).toMatchObject({ ga_session_id: 1704100000, session_id: 'dev-a.1704100000', products: [{ product_id: 'SKU-1', name: 'Mug', price: 9.5, quantity: 1 }] });
    const purchase = events.find((event) => event.event === 'Order Completed')!;
    expect(purchase).toMatchObject({ userId: 'customer-7', anonymousId: 'dev-b', revenue: 19, orderId: 'T-20240101' });
  });

  it('resumes after the last complete day of the cursor', async () => {
    seed();
    const first = await readAll();
    const afterDay2 = first.checkpoints.find((checkpoint) => (checkpoint.cursor as { complete: string }).complete === '20240102' && checkpoint.covers === 8)!;
    const resumed = await readAll({ from: afterDay2.cursor });
    expect(resumed.events.map((event) => event.messageId)).toEqual(first.events.slice(8).map((event) => event.messageId));
  });

  it('checkpoints inside a table without moving the cursor, so a crash there re-reads the whole day', async () => {
    seed(['20240101', '20240102']);
    const { checkpoints, events } = await readAll({ overrides: { checkpoint_every: 3 } });
    // After the first page of day 2 (events 0–4 + 3 = 7 covered), the cursor still says day 1.
    const inside = checkpoints.find((checkpoint) => checkpoint.covers === 7)!;
    expect(inside.cursor).toMatchObject({ complete: '20240101' });
    const resumed = await readAll({ from: inside.cursor });
    expect(resumed.events.map((event) => event.messageId)).toEqual(events.slice(4).map((event) => event.messageId));
  });

  it('re-reads the late window each run and the store keeps every event once', async () => {
    seed();
    const directory = temporaryDirectory('ga4-bq');
    const store = await openEventStore(join(directory, 'events.duckdb'));
    try {
      const ingest = (now: string) => runIngest({
        store, sources: [{ id: 'ga4', source: source() as never, config: config() }], runId: now, baseDir: directory,
        now: at(now), signal: new AbortController().signal, batchEvents: 5, maxFutureMs: 86_400_000,
      });
      const [first] = await ingest('2024-01-06T06:00:00Z');
      expect(first).toMatchObject({ events: 20, duplicates: 0, uncommitted: 0 });
      // GA4 adds a late event to 0104 and writes 0106; the next run re-reads 0104–0105.
      fake.appendRows(PROJECT, DATASET, 'events_20240104', [ga4Row({ day: '20240104', second: 50, name: 'scroll', pseudoId: 'dev-a' })]);
      fake.putTable(PROJECT, DATASET, 'events_20240106', dayRows('20240106'));
      const [second] = await ingest('2024-01-07T06:00:00Z');
      expect(second).toMatchObject({ read: 5 + 4 + 4, events: 1 + 4, duplicates: 8 });
      const count = await store.connection.runAndReadAll("SELECT count(*), count(DISTINCT message_id) FROM events");
      expect(count.getRows()[0]).toEqual([25n, 25n]);
      // A run with nothing new re-reads only the window and adds nothing.
      const [third] = await ingest('2024-01-07T09:00:00Z');
      expect(third).toMatchObject({ events: 0 });
    } finally {
      store.close();
    }
  });

  it('stopped part-way through a table, never checkpoints that day as complete', async () => {
    seed(['20240101', '20240102']);
    const controller = new AbortController();
    const messages: SourceMessage[] = [];
    for await (const item of source().read(config(), undefined, { now: at('2024-02-01T00:00:00Z'), signal: controller.signal, baseDir: '/' })) {
      messages.push(...(item as SourceMessage[]));
      // Ctrl-C during the first page of day 2.
      if (messages.some((message) => message.type === 'event' && message.event.timestamp >= Date.parse('2024-01-02T00:00:00Z'))) controller.abort();
    }
    const cursors = messages.flatMap((message) => (message.type === 'checkpoint' ? [(message.cursor as { complete: string | null }).complete] : []));
    expect(cursors).toEqual(['20240101']);
  });

  it('retries 429 rateLimitExceeded and 500 backendError with backoff, then reads everything', async () => {
    seed(['20240101', '20240102']);
    fake.fail({ api: 'tables.list', kind: 'backend-error' });
    fake.fail({ api: 'tabledata.list', table: 'events_20240102', kind: 'rate-limit', times: 2 });
    fake.fail({ api: 'tabledata.list', table: 'events_20240101', kind: 'rate-limit-403' });
    const { events } = await readAll();
    expect(events).toHaveLength(8);
    expect(sleeps).toEqual([1000, 1000, 1000, 2000]);
    expect(fake.requests.filter((request) => request.status === 429)).toHaveLength(2);
  });

  it('gives up after the last attempt with a retryable error that says what was being read', async () => {
    seed(['20240101']);
    fake.fail({ api: 'tabledata.list', kind: 'backend-error', times: 5 });
    const error = await readAll().then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'retryable', code: 'ga4-bigquery.unavailable' });
    expect((error as Error).message).toMatch(/reading shop-analytics\.analytics_153293282\.events_20240101 \(row 0\) failed after 5 attempts: backendError/);
  });

  it('stops at a daily table that vanished after listing, keeping what came before it', async () => {
    seed(['20240101', '20240102']);
    fake.vanishOnRead(PROJECT, DATASET, 'events_20240102');
    const messages: SourceMessage[] = [];
    const error = await (async () => {
      for await (const item of source().read(config(), undefined, context(at('2024-02-01T00:00:00Z')))) messages.push(...(item as SourceMessage[]));
    })().then(() => null, (caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'retryable', code: 'ga4-bigquery.table_missing' });
    expect((error as Error).message).toContain('events_20240102');
    // Day 1 was checkpointed before the failure: the runner commits it.
    const lastCheckpoint = messages.filter((message) => message.type === 'checkpoint').at(-1);
    expect(lastCheckpoint).toMatchObject({ cursor: { complete: '20240101' } });
  });

  it('reads intraday tables of days without a daily table, and skips one deleted while reading', async () => {
    seed(['20240101']);
    fake.putTable(PROJECT, DATASET, 'events_intraday_20240102', dayRows('20240102'));
    fake.putTable(PROJECT, DATASET, 'events_intraday_20240101', dayRows('20240101'));
    const withIntraday = await readAll({ overrides: { intraday: true } });
    expect(withIntraday.events).toHaveLength(8);
    // The intraday day is not complete: the cursor stays on the last daily table.
    expect(withIntraday.cursor).toMatchObject({ complete: '20240101' });
    fake.vanishOnRead(PROJECT, DATASET, 'events_intraday_20240102');
    expect((await readAll({ overrides: { intraday: true } })).events).toHaveLength(4);
    expect((await readAll()).events).toHaveLength(4);
  });

  it('quarantines bad rows with their table and row number', async () => {
    fake.putTable(PROJECT, DATASET, 'events_20240101', [...dayRows('20240101'), { ...ga4Row({ day: '20240101', second: 60, name: 'page_view' }), user_pseudo_id: null }]);
    const { messages } = await readAll();
    const rejects = messages.filter((message) => message.type === 'reject');
    expect(rejects).toEqual([expect.objectContaining({
      origin: { file: `bigquery://${PROJECT}.${DATASET}.events_20240101`, line: 5 },
      reason: expect.stringContaining('neither user_id nor user_pseudo_id'),
    })]);
  });

  it('check(): a missing dataset, a dataset without export tables and an unset secret are config errors', async () => {
    const check = (overrides: Partial<Ga4BigQuerySourceConfig>, environment = env) =>
      createGa4BigQuerySource({ env: environment }).check(config(overrides), context(at('2024-02-01T00:00:00Z'))).then(() => null, (caught: unknown) => caught);
    expect(await check({ dataset: 'analytics_999' })).toMatchObject({ kind: 'config', code: 'ga4-bigquery.dataset_missing' });
    fake.putTable(PROJECT, 'analytics_1', 'pseudonymous_users_20240101', []);
    expect(await check({ dataset: 'analytics_1' })).toMatchObject({ kind: 'config', code: 'ga4-bigquery.no_export_tables' });
    const unset = await check({}, {});
    expect(unset).toMatchObject({ kind: 'config', code: 'ga4-bigquery.secret_missing' });
    expect((unset as Error).message).toMatch(/GA4_KEY is not set/);
  });

  it('takes the key file path instead of its JSON, and names the variable (never its value) when it is neither', async () => {
    seed(['20240101']);
    const keyFile = join(temporaryDirectory('ga4-key'), 'key.json');
    writeFileSync(keyFile, fake.account.json);
    const read = async (value: string) => {
      const events: SourceMessage[] = [];
      for await (const item of createGa4BigQuerySource({ env: { GA4_KEY: value } }).read(config(), undefined, context(at('2024-02-01T00:00:00Z')))) events.push(...(item as SourceMessage[]));
      return events.filter((message) => message.type === 'event').length;
    };
    expect(await read(keyFile)).toBe(4);
    const wrong = await read('not-a-key-s3cr3t').then(() => null, (caught: unknown) => caught);
    expect(wrong).toMatchObject({ kind: 'config', code: 'ga4-bigquery.credentials_missing' });
    expect((wrong as Error).message).toContain('${env:GA4_KEY}');
    expect((wrong as Error).message).not.toContain('s3cr3t');
    expect(await read('{"client_email": 1}').then(() => null, (caught: unknown) => caught)).toMatchObject({ code: 'ga4-bigquery.credentials_invalid' });
  });

  it('a key the API does not accept is a config error, not retried', async () => {
    seed(['20240101']);
    const stranger = await startBigQueryFake();
    try {
      const error = await createGa4BigQuerySource({ env: { GA4_KEY: stranger.account.json } })
        .check(config(), context(at('2024-02-01T00:00:00Z'))).then(() => null, (caught: unknown) => caught);
      expect(error).toMatchObject({ kind: 'config', code: 'ga4-bigquery.access_denied' });
    } finally {
      await stranger.close();
    }
  });

  it('refuses a cursor of another dataset', async () => {
    seed(['20240101']);
    const error = await readAll({ from: { ga4: 'bigquery', dataset: 'other.analytics_1', complete: '20240101' } }).then(() => null, (caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'config', code: 'ga4-bigquery.cursor_invalid' });
  });
});
