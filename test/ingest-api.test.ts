import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from './support/temporary-directory.js';
import { basicAuth, SECOND_WRITE_KEY, startIngestServer, WEBHOOK_SECRET, WRITE_KEY, type IngestServer } from './support/ingest-server.js';

/**
 * The Segment HTTP Tracking API as a Segment library (or curl) sees it:
 * write keys, limits, gzip, context merge, dedup, and the webhook receiver.
 */
let live: IngestServer;
let sequence = 0;

function track(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  return { type: 'track', event: 'Product Viewed', userId: `u${sequence % 7}`, messageId: `m-${sequence}`, timestamp: '2026-11-20T10:00:00.000Z', properties: { sku: 'A1' }, ...overrides };
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${live.server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

beforeAll(async () => {
  live = await startIngestServer(temporaryDirectory('ingest-api'));
});
afterAll(async () => {
  await live?.close();
});

describe('write keys', () => {
  it('refuses a request without a key or with an unknown one (401), and stores nothing from it', async () => {
    const before = await live.count();
    expect((await post('/v1/batch', { batch: [track()] })).status).toBe(401);
    const wrong = await post('/v1/batch', { batch: [track()] }, { authorization: basicAuth('nope') });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('unknown write key');
    expect(await live.count()).toBe(before);
  });

  it('accepts HTTP Basic, the body writeKey, and every key of the source', async () => {
    const before = await live.count();
    expect((await post('/v1/batch', { batch: [track()] }, { authorization: basicAuth(WRITE_KEY) })).status).toBe(200);
    expect((await post('/v1/batch', { batch: [track()], writeKey: SECOND_WRITE_KEY })).status).toBe(200);
    const single = await post('/v1/identify', { userId: 'u-ident', traits: { plan: 'pro' }, messageId: 'ident-1', timestamp: '2026-11-20T10:00:00Z', writeKey: WRITE_KEY });
    expect(single).toMatchObject({ status: 200, body: { success: true } });
    expect(await live.count()).toBe(before + 3);
    expect(await live.count("SELECT count(*) FROM events WHERE message_id = 'ident-1' AND type = 'identify'")).toBe(1);
  });

  it('never writes a write key into the store or the logs', async () => {
    await post('/v1/track', { ...track(), writeKey: WRITE_KEY });
    expect(await live.count(`SELECT count(*) FROM events WHERE properties LIKE '%${WRITE_KEY}%' OR traits LIKE '%${WRITE_KEY}%'`)).toBe(0);
    expect(JSON.stringify(live.logs)).not.toContain(WRITE_KEY);
  });
});

describe("Segment's limits", () => {
  it('refuses an event over 32 KB with 400 naming the event', async () => {
    const big = track({ properties: { blob: 'x'.repeat(33 * 1024) } });
    const response = await post('/v1/batch', { batch: [track(), big] }, { authorization: basicAuth(WRITE_KEY) });
    expect(response.status).toBe(400);
    expect(String(response.body.error)).toMatch(/event 1 of the batch \(messageId m-\d+\) is [\d,]+ bytes, over Segment's 32 KB event limit/);
  });

  it('refuses a batch over 500 KB with 400 naming the batch limit', async () => {
    const batch = Array.from({ length: 30 }, () => track({ properties: { blob: 'y'.repeat(20 * 1024) } }));
    const response = await post('/v1/batch', { batch }, { authorization: basicAuth(WRITE_KEY) });
    expect(response.status).toBe(400);
    expect(String(response.body.error)).toMatch(/over Segment's 500 KB batch limit/);
  });

  it('decodes gzip bodies whatever the Content-Type label says', async () => {
    const event = track();
    const body = gzipSync(JSON.stringify({ batch: [event] }));
    const response = await post('/v1/batch', body, { authorization: basicAuth(WRITE_KEY), 'content-encoding': 'gzip', 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.status).toBe(200);
    expect(await live.count(`SELECT count(*) FROM events WHERE message_id = '${String(event.messageId)}'`)).toBe(1);
  });

  it('refuses a body that says gzip and is not (400, no stack trace)', async () => {
    const response = await post('/v1/batch', Buffer.from('not gzip at all'), { authorization: basicAuth(WRITE_KEY), 'content-encoding': 'gzip' });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('request body says Content-Encoding: gzip but is not a complete gzip stream');
  });
});

describe('what is stored', () => {
  it("merges the batch's outer context and integrations into each item, the item's keys winning", async () => {
    const inner = track({ context: { locale: 'de-DE' } });
    const response = await post('/v1/batch', {
      batch: [inner], context: { locale: 'en-US', consent: { categoryPreferences: { marketing: true } } }, integrations: { All: false },
    }, { authorization: basicAuth(WRITE_KEY) });
    expect(response.status).toBe(200);
    const consent = await live.count(`SELECT count(*) FROM events WHERE message_id = '${String(inner.messageId)}' AND consent LIKE '%marketing%'`);
    expect(consent).toBe(1);
  });

  it('stores a messageId once, however often a client retries it', async () => {
    const event = track();
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await post('/v1/batch', { batch: [event, event] }, { authorization: basicAuth(WRITE_KEY) })).status).toBe(200);
    }
    expect(await live.count(`SELECT count(*) FROM events WHERE message_id = '${String(event.messageId)}'`)).toBe(1);
  });

  it('quarantines an accepted event the store cannot use, with its reason and journal line', async () => {
    const response = await post('/v1/batch', { batch: [{ type: 'track', event: 'No Identity', messageId: 'no-id-1', timestamp: '2026-11-20T10:00:00Z' }] }, { authorization: basicAuth(WRITE_KEY) });
    expect(response.status).toBe(200);
    await live.count();
    const reader = await (await live.workspace.events()).connection.runAndReadAll("SELECT file, reason FROM quarantine WHERE sample LIKE '%no-id-1%'");
    const [file, reason] = reader.getRows()[0] ?? [];
    expect(String(file)).toMatch(/^spool\/web\/\d{12}\.jsonl$/);
    expect(String(reason)).toMatch(/userId|anonymousId/);
  });

  it('answers /healthz with what was accepted and stored', async () => {
    const response = await fetch(`${live.server.url}/healthz`);
    expect(response.status).toBe(200);
    const health = (await response.json()) as Record<string, unknown>;
    expect(health.status).toBe('ok');
    expect(Number(health.accepted)).toBeGreaterThan(0);
  });
});

describe('Segment webhook receiver', () => {
  const sign = (text: string, secret = WEBHOOK_SECRET) => createHmac('sha1', secret).update(text).digest('hex');

  it('accepts a correctly signed event', async () => {
    const text = JSON.stringify(track({ messageId: 'hook-1' }));
    const response = await post('/webhooks/segment/web', Buffer.from(text), { 'x-signature': sign(text) });
    expect(response.status).toBe(200);
    expect(await live.count("SELECT count(*) FROM events WHERE message_id = 'hook-1'")).toBe(1);
  });

  it('accepts a batch signed on its first event, as Segment signs batches', async () => {
    const batch = [track({ messageId: 'hook-b1' }), track({ messageId: 'hook-b2' })];
    const response = await post('/webhooks/segment/web', Buffer.from(JSON.stringify(batch, null, 1)), { 'x-signature': sign(JSON.stringify(batch[0])) });
    expect(response.status).toBe(200);
    expect(await live.count("SELECT count(*) FROM events WHERE message_id IN ('hook-b1', 'hook-b2')")).toBe(2);
  });

  it('refuses a tampered body, a wrong secret and a missing header with 401, logging no payload', async () => {
    const text = JSON.stringify(track({ messageId: 'hook-evil', properties: { marker: 'payload-canary-7731' } }));
    const tampered = text.replace('Product Viewed', 'Order Completed');
    expect((await post('/webhooks/segment/web', Buffer.from(tampered), { 'x-signature': sign(text) })).status).toBe(401);
    expect((await post('/webhooks/segment/web', Buffer.from(text), { 'x-signature': sign(text, 'another-secret') })).status).toBe(401);
    const missing = await post('/webhooks/segment/web', Buffer.from(text));
    expect(missing).toMatchObject({ status: 401, body: { error: 'missing X-Signature header' } });
    expect(await live.count("SELECT count(*) FROM events WHERE message_id = 'hook-evil'")).toBe(0);
    const refusals = live.logs.filter((line) => line.msg === 'webhook refused');
    expect(refusals.length).toBe(3);
    expect(JSON.stringify(live.logs)).not.toContain('payload-canary-7731');
  });
});
