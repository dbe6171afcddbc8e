import { afterEach, describe, expect, it } from 'vitest';
import type { CanonicalEvent, JsonValue } from '../core/events/canonical-event.js';
import { ConnectorError } from '../core/errors/connector-error.js';
import type { SourceMessage } from '../core/ingest/source.js';
import { createMixpanelSource, type MixpanelSourceOptions } from '../connectors/sources/mixpanel/index.js';
import type { MixpanelSourceConfig } from '../connectors/sources/mixpanel/index.js';
import { startMixpanelExportFake, type MixpanelExportFake, type MixpanelExportFakeOptions } from './fakes/mixpanel/export-fake.js';

const PROJECT = '2195193';
const ENV = { MP_USER: 'segflow.sa.mp-service-account', MP_SECRET: 'sa-secret' };
const START = Date.parse('2026-06-05T12:00:00Z');
const DAY_S = 86_400;
const day1 = Date.parse('2026-06-01T00:00:00Z') / 1_000;

/** One clock for the source and the fake: sleeping advances it, so backoffs and rate windows cost no real time. */
function fakeTime() {
  const state = { now: START, sleeps: [] as number[] };
  return {
    state,
    now: () => state.now,
    sleep: async (ms: number) => {
      state.sleeps.push(ms);
      state.now += ms;
    },
  };
}

let fakes: MixpanelExportFake[] = [];
afterEach(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
  fakes = [];
});

async function setup(fakeOptions: Partial<MixpanelExportFakeOptions> = {}, sourceOptions: MixpanelSourceOptions = {}) {
  const time = fakeTime();
  const fake = await startMixpanelExportFake({ projectId: PROJECT, username: ENV.MP_USER, secret: ENV.MP_SECRET, now: time.now, ...fakeOptions });
  fakes.push(fake);
  const source = createMixpanelSource({ env: ENV, sleep: time.sleep, random: () => 0.5, ...sourceOptions });
  const config = (overrides: Partial<MixpanelSourceConfig> = {}): MixpanelSourceConfig => ({
    type: 'mixpanel', id: 'mp', project_id: PROJECT,
    service_account: { username: '${env:MP_USER}', secret: '${env:MP_SECRET}' },
    from_date: '2026-06-01', lookback_days: 0, base_url: fake.url, ...overrides,
  });
  const read = (cfg: MixpanelSourceConfig, from?: JsonValue, stopAfterCheckpoints = Infinity) => collect(source.read(cfg, from, context(time.now)), stopAfterCheckpoints);
  return { fake, time, source, config, read };
}

function context(now: () => number) {
  return { now, signal: new AbortController().signal, baseDir: '/' };
}

async function collect(stream: AsyncIterable<SourceMessage | readonly SourceMessage[]>, stopAfterCheckpoints: number) {
  const messages: SourceMessage[] = [];
  let checkpoints = 0;
  // Breaking out of for-await ends the generator, as a crash after a commit would.
  outer: for await (const item of stream) {
    for (const message of Array.isArray(item) ? item : [item as SourceMessage]) {
      messages.push(message);
      if (message.type === 'checkpoint' && ++checkpoints >= stopAfterCheckpoints) break outer;
    }
  }
  const events = messages.flatMap((message) => (message.type === 'event' ? [message.event] : []));
  const rejects = messages.flatMap((message) => (message.type === 'reject' ? [message] : []));
  const cursors = messages.flatMap((message) => (message.type === 'checkpoint' ? [message.cursor] : []));
  return { messages, events, rejects, cursors, cursor: cursors.at(-1) };
}

/** `perDay` events on each of `days` days from 2026-06-01, with ids that tell day and index. */
function dailyEvents(days: number, perDay: number, pad = 0) {
  return Array.from({ length: days * perDay }, (_, index) => {
    const day = Math.floor(index / perDay);
    return {
      event: index % 2 === 0 ? 'Viewed' : 'Purchase',
      properties: {
        time: day1 + day * DAY_S + 60 * (index % perDay), distinct_id: `user-${index % 7}`, $insert_id: `ins-${day}-${index % perDay}`,
        ...(pad > 0 ? { note: 'x'.repeat(pad) } : {}),
      },
    };
  });
}

const insertIds = (events: CanonicalEvent[]) => events.map((event) => event.properties.$insert_id);
const days = (fake: MixpanelExportFake) => fake.requests().filter((request) => request.status === 200).map((request) => request.fromDate);

describe('mixpanel source against the export fake', () => {
  it('reads one day per request, oldest first, and checkpoints the day after each day read', async () => {
    const { fake, config, read } = await setup();
    fake.addEvents(dailyEvents(5, 4, 400)); // 2026-06-01 .. 06-05, ~2 KB a day: gzip-encoded
    const result = await read(config());
    expect(result.rejects).toEqual([]);
    expect(result.events).toHaveLength(20);
    expect(fake.requests().map((request) => [request.fromDate, request.toDate, request.status, request.gzip])).toEqual(
      ['2026-06-01', '2026-06-02', '2026-06-03', '2026-06-04', '2026-06-05'].map((day) => [day, day, 200, true]));
    expect(result.cursors.map((cursor) => (cursor as { next: string }).next)).toEqual(['2026-06-02', '2026-06-03', '2026-06-04', '2026-06-05', '2026-06-06']);
    // Every event precedes the checkpoint of its day.
    const order = result.messages.map((message) => (message.type === 'checkpoint' ? 'C' : message.type === 'event' ? 'e' : 'r')).join('');
    expect(order).toBe('eeeeC'.repeat(5));
  });

  it('resumes after an interrupted run at the first day not checkpointed, and re-reads today and the lookback window', async () => {
    const { fake, config, read } = await setup();
    fake.addEvents(dailyEvents(5, 3));
    const interrupted = await read(config({ lookback_days: 1 }), undefined, 2); // stopped after day 2's checkpoint
    expect(interrupted.cursor).toEqual({ mixpanel: 1, projectId: PROJECT, next: '2026-06-03' });
    const resumed = await read(config({ lookback_days: 1 }), interrupted.cursor);
    expect(insertIds(resumed.events)).toEqual(dailyEvents(5, 3).slice(6).map((event) => event.properties.$insert_id));
    expect(resumed.cursor).toEqual({ mixpanel: 1, projectId: PROJECT, next: '2026-06-06' });
    // A run later the same day reads only the lookback day and today again, with the same messageIds.
    const again = await read(config({ lookback_days: 1 }), resumed.cursor);
    expect(days(fake).slice(-2)).toEqual(['2026-06-04', '2026-06-05']);
    expect(again.events.map((event) => event.messageId)).toEqual(resumed.events.slice(-6).map((event) => event.messageId));
    expect(again.cursors).toEqual([resumed.cursor, resumed.cursor]); // a re-read never moves the cursor back
  });

  it('a truncated gzip day is reported as a reject, not checkpointed, and read again by the next run', async () => {
    const { fake, config, read } = await setup();
    fake.addEvents(dailyEvents(3, 30, 100));
    fake.faults.truncateNext({ day: '2026-06-02', keep: 0.5 });
    const truncated = await read(config());
    expect(truncated.rejects).toHaveLength(1);
    const [reject] = truncated.rejects;
    expect(reject!.reason).toMatch(/^the gzip response ended before its end \(truncated\) after \d+ complete lines; 2026-06-02 is not marked as read and the next run requests it again$/);
    expect(reject!.reason).not.toMatch(/zlib|Z_BUF_ERROR|unexpected end/);
    expect(reject!.origin.file).toContain('from_date=2026-06-02');
    const partial = truncated.events.length - 30;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(30);
    expect(reject!.origin.line).toBe(partial + 1);
    // Day 1 committed; the checkpoint after the failure does not cover day 2.
    expect(truncated.cursors.map((cursor) => (cursor as { next: string }).next)).toEqual(['2026-06-02', '2026-06-02']);
    expect(days(fake)).toEqual(['2026-06-01', '2026-06-02']); // no later day requested after the failure
    const retried = await read(config(), truncated.cursor);
    expect(retried.rejects).toEqual([]);
    expect(retried.events).toHaveLength(60);
    expect(insertIds(retried.events).slice(0, partial)).toEqual(insertIds(truncated.events.slice(30))); // the same events again: duplicates for the store
    expect(retried.cursor).toEqual({ mixpanel: 1, projectId: PROJECT, next: '2026-06-06' });
  });

  it('a connection dropped mid-body is reported the same way', async () => {
    const { fake, config, read } = await setup();
    fake.addEvents(dailyEvents(2, 10));
    fake.faults.resetNext();
    const result = await read(config());
    expect(result.rejects.map((reject) => reject.reason)).toEqual([expect.stringMatching(/^the connection closed in the middle of the response after \d+ complete lines?; 2026-06-01 is not marked/)]);
    expect(result.cursor).toEqual({ mixpanel: 1, projectId: PROJECT, next: '2026-06-01' });
  });

  it('rejects each malformed line with its line number and reason, and keeps the good lines of the day', async () => {
    const { fake, config, read } = await setup();
    fake.addEvents(dailyEvents(1, 2));
    fake.addRawLines('2026-06-01', [
      '{"event":"Broken","properties":{"time":',
      '[1,2,3]',
      '{"event":"No time","properties":{"distinct_id":"u"}}',
      '{"event":"Nobody","properties":{"time":1780272000}}',
      '',
      JSON.stringify({ event: 'Late', properties: { time: day1 + 5, distinct_id: 'u9', $insert_id: 'late-1' } }),
    ]);
    const result = await read(config({ from_date: '2026-06-01' }));
    expect(result.events.map((event) => event.event)).toEqual(['Viewed', 'Purchase', 'Late']);
    expect(result.rejects.map((reject) => [reject.origin.line, reject.reason])).toEqual([
      [3, expect.stringMatching(/^not valid JSON \(/)],
      [4, 'expected a JSON object {"event", "properties"}, got an array'],
      [5, 'properties.time must be a number (epoch seconds or ms), got nothing'],
      [6, 'no identity: properties.distinct_id, $user_id and $device_id are all missing or empty'],
    ]);
    expect(result.rejects[0]!.sample).toBe('{"event":"Broken","properties":{"time":');
    expect((result.cursors[0] as { next: string }).next).toBe('2026-06-02');
  });

  it('reads seconds and milliseconds times as the same instant, and repeats of one event as one messageId', async () => {
    const { fake, config, read } = await setup();
    const base = { distinct_id: 'u1', $insert_id: 'same-insert' };
    fake.addEvents([
      { event: 'Signed up', properties: { ...base, time: day1 + 10 } },
      { event: 'Signed up', properties: { ...base, time: (day1 + 10) * 1_000, mp_processing_time_ms: (day1 + 99) * 1_000 } },
      { event: 'Signed up', properties: { ...base, time: day1 + 11 } },
    ]);
    const { events } = await read(config({ from_date: '2026-06-01' }));
    expect(events.map((event) => event.timestamp)).toEqual([(day1 + 10) * 1_000, (day1 + 10) * 1_000, (day1 + 11) * 1_000]);
    expect(events[0]!.messageId).toBe(events[1]!.messageId);
    expect(events[2]!.messageId).not.toBe(events[0]!.messageId);
    expect(events[1]!.receivedAt).toBe((day1 + 99) * 1_000);
  });

  it('passes the events filter to the API', async () => {
    const { fake, config, read } = await setup();
    fake.addEvents(dailyEvents(1, 6));
    const { events } = await read(config({ events: ['Purchase'] }));
    expect(events.map((event) => event.event)).toEqual(['Purchase', 'Purchase', 'Purchase']);
  });

  it('paces itself below 3/s and 60/h: 70 days cost no 429, the limiter waits instead', async () => {
    const { fake, time, config, read } = await setup();
    const from = '2026-03-28'; // 70 days up to 2026-06-05
    const result = await read(config({ from_date: from }));
    expect(result.cursor).toEqual({ mixpanel: 1, projectId: PROJECT, next: '2026-06-06' });
    expect(fake.requests().filter((request) => request.status === 429)).toEqual([]);
    expect(fake.requests()).toHaveLength(70);
    expect(time.state.now - START).toBeGreaterThanOrEqual(3_600_000); // the 61st request waited for the hour window
  });

  it('waits out 429s: Retry-After when the server sends one, else exponential backoff', async () => {
    const withHint = await setup({ limits: { perSecond: 1 }, retryAfterSeconds: 7 }, { rateWindows: [] });
    const hinted = await withHint.read(withHint.config({ from_date: '2026-06-04' }));
    expect(hinted.cursor).toEqual({ mixpanel: 1, projectId: PROJECT, next: '2026-06-06' });
    expect(withHint.fake.requests().map((request) => request.status)).toEqual([200, 429, 200]);
    expect(withHint.time.state.sleeps).toEqual([7_000]);

    const without = await setup({ limits: { perSecond: 1, perHour: 2 } }, { rateWindows: [], retry: { maxThrottleWaits: 20, maxThrottleDelayMs: 3_600_000 } });
    const backedOff = await without.read(without.config({ from_date: '2026-06-03' }));
    expect(backedOff.cursor).toEqual({ mixpanel: 1, projectId: PROJECT, next: '2026-06-06' });
    // random() = 0.5: each wait is 3/4 of 2 s × 2^n, counted per request; the third day waits for the hour window.
    expect(without.time.state.sleeps.slice(0, 4)).toEqual([1_500, 1_500, 3_000, 6_000]);
    expect(without.time.state.now - START).toBeGreaterThanOrEqual(3_600_000);
  });

  it('retries 5xx with backoff, and stops with a retryable error naming the project when they persist', async () => {
    const { fake, config, read, time } = await setup();
    fake.faults.failNext(500, 2);
    expect((await read(config({ from_date: '2026-06-05' }))).events).toEqual([]); // no events on 06-05, but read
    expect(fake.requests().map((request) => request.status)).toEqual([500, 500, 200]);
    expect(time.state.sleeps).toEqual([1_500, 3_000]);

    fake.faults.failNext(503, 10);
    const error = await read(config({ from_date: '2026-06-05' })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'retryable', code: 'mixpanel.server_error' });
    expect((error as Error).message).toBe(`source "mp": Mixpanel export of project ${PROJECT} (GET ${fake.url}/api/2.0/export, 2026-06-05) failed with 503 after 5 retries ("internal server error"). Run again later.`);
  });

  it('fails at once on 401 and 403, naming the project and what to check', async () => {
    const { config, read, fake } = await setup();
    const unauthorized = await read({ ...config(), service_account: { username: 'someone-else', secret: '${env:MP_SECRET}' } }).catch((caught: unknown) => caught);
    expect(unauthorized).toMatchObject({ kind: 'config', code: 'mixpanel.unauthorized' });
    expect((unauthorized as Error).message).toContain(`project ${PROJECT}`);
    const forbidden = await read(config({ project_id: 42 })).catch((caught: unknown) => caught);
    expect(forbidden).toMatchObject({ kind: 'config', code: 'mixpanel.forbidden' });
    expect((forbidden as Error).message).toMatch(/project 42 .*refused with 403: "service account has no access to project 42"\. Give the service account access to project 42/);
    expect(fake.requests().map((request) => request.status)).toEqual([401, 403]);
  });

  it('an abort while waiting for the rate limiter ends the read quietly after the last checkpoint', async () => {
    const controller = new AbortController();
    const time = fakeTime();
    const fake = await startMixpanelExportFake({ projectId: PROJECT, username: ENV.MP_USER, secret: ENV.MP_SECRET, now: time.now });
    fakes.push(fake);
    // 1 request per second locally: the second day waits, and the wait is interrupted.
    const source = createMixpanelSource({ env: ENV, rateWindows: [{ limit: 1, ms: 1_000 }], sleep: async () => controller.abort() });
    const cfg: MixpanelSourceConfig = {
      type: 'mixpanel', id: 'mp', project_id: PROJECT, from_date: '2026-06-04', lookback_days: 0, base_url: fake.url,
      service_account: { username: '${env:MP_USER}', secret: '${env:MP_SECRET}' },
    };
    const result = await collect(source.read(cfg, undefined, { now: time.now, signal: controller.signal, baseDir: '/' }), Infinity);
    expect(result.cursors).toEqual([{ mixpanel: 1, projectId: PROJECT, next: '2026-06-05' }]);
    expect(fake.requests()).toHaveLength(1);
  });

  it('refuses a cursor of another project or connector', async () => {
    const { config, read } = await setup();
    await expect(read(config(), { mixpanel: 1, projectId: '999', next: '2026-06-02' })).rejects.toMatchObject({ code: 'mixpanel.cursor_project' });
    await expect(read(config(), { files: {} })).rejects.toMatchObject({ code: 'mixpanel.cursor_invalid' });
  });
});

describe('mixpanel source hosts', () => {
  it.each([
    ['us', 'https://data.mixpanel.com'],
    ['eu', 'https://data-eu.mixpanel.com'],
    ['in', 'https://data-in.mixpanel.com'],
  ] as const)('region %s requests %s', async (region, origin) => {
    const urls: string[] = [];
    const { Readable } = await import('node:stream');
    const source = createMixpanelSource({
      env: ENV,
      sleep: async () => {},
      get: async (url) => {
        urls.push(url.toString());
        return { status: 200, headers: {}, body: Readable.from([]) };
      },
    });
    const cfg: MixpanelSourceConfig = {
      type: 'mixpanel', id: 'mp', project_id: PROJECT, region, from_date: '2026-06-05', lookback_days: 0,
      service_account: { username: '${env:MP_USER}', secret: '${env:MP_SECRET}' },
    };
    await collect(source.read(cfg, undefined, context(() => START)), Infinity);
    expect(urls).toEqual([`${origin}/api/2.0/export?project_id=${PROJECT}&from_date=2026-06-05&to_date=2026-06-05`]);
  });
});

describe('mixpanel source, stalled export', () => {
  it('a response that goes silent mid-body fails the day after the idle timeout, reported like a truncation', async () => {
    const { createNodeHttpGet } = await import('../connectors/sources/mixpanel/export-http.js');
    const time = fakeTime();
    const fake = await startMixpanelExportFake({ projectId: PROJECT, username: ENV.MP_USER, secret: ENV.MP_SECRET, now: time.now });
    fakes.push(fake);
    fake.addEvents(dailyEvents(1, 10));
    fake.faults.stallNext();
    const source = createMixpanelSource({ env: ENV, sleep: time.sleep, get: createNodeHttpGet({ idleTimeoutMs: 200 }) });
    const cfg: MixpanelSourceConfig = {
      type: 'mixpanel', id: 'mp', project_id: PROJECT, from_date: '2026-06-01', lookback_days: 0, base_url: fake.url,
      service_account: { username: '${env:MP_USER}', secret: '${env:MP_SECRET}' },
    };
    const result = await collect(source.read(cfg, undefined, context(time.now)), Infinity);
    expect(result.rejects.map((reject) => reject.reason)).toEqual([expect.stringMatching(/^the response stalled after \d+ complete lines? \(no data for 200 ms\); 2026-06-01 is not marked/)]);
    expect(result.cursor).toEqual({ mixpanel: 1, projectId: PROJECT, next: '2026-06-01' });
  });
});
