import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startMixpanelExportFake, type MixpanelExportFake, type MixpanelExportFakeOptions } from './export-fake.js';

/** The fake is only worth what it checks: each documented rule, tested on the wire. */
const AUTH = `Basic ${Buffer.from('sa:secret').toString('base64')}`;
const NOW = Date.parse('2026-06-05T12:00:00Z');
const day = Date.parse('2026-06-01T00:00:00Z') / 1_000;

let fake: MixpanelExportFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: Partial<MixpanelExportFakeOptions> = {}) {
  let now = NOW;
  fake = await startMixpanelExportFake({ projectId: '5', username: 'sa', secret: 'secret', now: () => now, ...options });
  return { fake, advance: (ms: number) => { now += ms; } };
}

/** Raw GET (no automatic gunzip), so the encoding on the wire is visible. */
function get(path: string, headers: Record<string, string> = { authorization: AUTH }): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, fake!.url);
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    }).on('error', reject).end();
  });
}

const query = (from = '2026-06-01', to = from, extra = '') => `/api/2.0/export?project_id=5&from_date=${from}&to_date=${to}${extra}`;
const errorOf = (response: { body: Buffer }) => (JSON.parse(response.body.toString()) as { error: string }).error;

describe('Mixpanel export fake', () => {
  it('answers JSONL of the requested days, plain when small, gzip above 1,400 bytes when accepted', async () => {
    const { fake } = await start();
    fake.addEvents([{ event: 'A', properties: { time: day, distinct_id: 'u' } }, { event: 'B', properties: { time: (day + 86_400) * 1_000, distinct_id: 'u' } }]);
    const small = await get(query('2026-06-01', '2026-06-02'), { authorization: AUTH, 'accept-encoding': 'gzip' });
    expect(small.status).toBe(200);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body.toString().split('\n')).toEqual([expect.stringContaining('"event":"A"'), expect.stringContaining('"event":"B"'), '']);
    fake.addEvents(Array.from({ length: 40 }, (_, index) => ({ event: 'C', properties: { time: day + index, distinct_id: `user-${index}`, pad: 'x'.repeat(40) } })));
    const large = await get(query(), { authorization: AUTH, 'accept-encoding': 'gzip' });
    expect(large.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(large.body).toString().trim().split('\n')).toHaveLength(41);
    expect((await get(query())).headers['content-encoding']).toBeUndefined(); // no Accept-Encoding: plain
  });

  it('requires service-account Basic auth and project_id, and refuses other projects', async () => {
    await start();
    expect((await get(query(), {})).status).toBe(401);
    expect((await get(query(), { authorization: `Basic ${Buffer.from('sa:wrong').toString('base64')}` })).status).toBe(401);
    const missing = await get('/api/2.0/export?from_date=2026-06-01&to_date=2026-06-01');
    expect([missing.status, errorOf(missing)]).toEqual([400, 'project_id is required when authenticating with a service account']);
    expect((await get('/api/2.0/export?project_id=6&from_date=2026-06-01&to_date=2026-06-01')).status).toBe(403);
  });

  it('validates dates and the event filter', async () => {
    await start();
    expect(errorOf(await get('/api/2.0/export?project_id=5&from_date=2026-06-01'))).toBe("'from_date' and 'to_date' are required");
    expect(errorOf(await get(query('2026-6-1')))).toBe('from_date 2026-6-1 is not a date in yyyy-mm-dd format');
    expect(errorOf(await get(query('2026-02-30')))).toBe('from_date 2026-02-30 is not a date in yyyy-mm-dd format');
    expect(errorOf(await get(query('2026-06-03', '2026-06-02')))).toBe('to_date must not be before from_date');
    expect(errorOf(await get(query('2026-06-06')))).toBe('to_date 2026-06-06 is later than today');
    expect(errorOf(await get(query('2026-06-01', '2026-06-01', '&event=Purchase')))).toBe("'event' must be a JSON array of event names");
  });

  it('answers 429 past 3 queries in a second and 60 in an hour', async () => {
    const { advance } = await start();
    const statuses: number[] = [];
    for (let index = 0; index < 4; index++) statuses.push((await get(query())).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    advance(1_000);
    expect((await get(query())).status).toBe(200);
    for (let index = 0; index < 56; index++) {
      advance(1_000);
      expect((await get(query())).status).toBe(200);
    }
    advance(1_000);
    const limited = await get(query()); // 61st admitted query within the hour
    expect([limited.status, errorOf(limited)]).toEqual([429, 'rate limit exceeded: 60 queries per hour']);
    advance(3_600_000);
    expect((await get(query())).status).toBe(200);
  });

  it('sends Retry-After on a 429 when configured', async () => {
    await start({ limits: { perSecond: 1 }, retryAfterSeconds: 9 });
    expect((await get(query())).headers['retry-after']).toBeUndefined();
    const limited = await get(query());
    expect([limited.status, limited.headers['retry-after']]).toEqual([429, '9']);
  });

  it('injects 500s and truncated gzip bodies', async () => {
    const { fake, advance } = await start();
    fake.addEvents([{ event: 'A', properties: { time: day, distinct_id: 'u' } }]);
    fake.faults.failNext(500);
    expect((await get(query())).status).toBe(500);
    advance(1_000);
    fake.faults.truncateNext({ keep: 0.5 });
    const cut = await get(query(), { authorization: AUTH, 'accept-encoding': 'gzip' });
    expect(cut.headers['content-encoding']).toBe('gzip');
    expect(() => gunzipSync(cut.body)).toThrow(/unexpected end of file/);
    expect(fake.requests().map((entry) => [entry.status, entry.gzip])).toEqual([[500, false], [200, true]]);
  });
});
