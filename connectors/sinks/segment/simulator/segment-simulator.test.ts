import { afterEach, describe, expect, it } from 'vitest';
import { startSegmentSimulator, type RunningSegmentSimulator, type SegmentSimulatorOptions } from './segment-simulator.js';

const running: RunningSegmentSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((simulator) => simulator.stop()));
});

async function start(options: Partial<SegmentSimulatorOptions> = {}): Promise<RunningSegmentSimulator> {
  const simulator = await startSegmentSimulator({ seed: 5, ...options });
  running.push(simulator);
  return simulator;
}

const KEY = 'segflow-sandbox-write-key';
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

async function post(simulator: RunningSegmentSimulator, path: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const response = await fetch(`${simulator.url}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
}

const identify = (userId: string, traits: Record<string, unknown>, messageId: string) => ({ type: 'identify', userId, traits, messageId });

describe('Segment simulator: the Tracking API', () => {
  it('takes the write key from the body or from Basic auth, and answers 401 to a wrong or missing key', async () => {
    const simulator = await start();
    expect((await post(simulator, '/v1/batch', { batch: [identify('u1', { a: 1 }, 'm1')], writeKey: KEY })).status).toBe(200);
    expect((await post(simulator, '/v1/batch', { batch: [identify('u2', { a: 1 }, 'm2')] }, { 'content-type': 'application/json', authorization: basic(KEY) })).status).toBe(200);
    expect(await post(simulator, '/v1/batch', { batch: [identify('u3', { a: 1 }, 'm3')], writeKey: 'wrong' })).toMatchObject({ status: 401, body: { success: false } });
    expect((await post(simulator, '/v1/batch', { batch: [identify('u4', { a: 1 }, 'm4')] })).status).toBe(401);
    expect([...simulator.view.users().keys()]).toEqual(['u1', 'u2']);
  });

  it('requires Content-Type: application/json and valid JSON (400)', async () => {
    const simulator = await start();
    expect((await post(simulator, '/v1/batch', { batch: [], writeKey: KEY }, { 'content-type': 'text/plain' })).status).toBe(400);
    expect(await post(simulator, '/v1/batch', '{"batch": [', { 'content-type': 'application/json' })).toMatchObject({ status: 400, body: { message: 'Invalid JSON' } });
  });

  it('rejects a batch with one event over 32 KB, or a request over 500 KB, as a whole (400, nothing stored)', async () => {
    const simulator = await start();
    const big = identify('u-big', { blob: 'x'.repeat(33 * 1_024) }, 'big');
    const tooLargeEvent = await post(simulator, '/v1/batch', { batch: [identify('u1', { a: 1 }, 'm1'), big], writeKey: KEY });
    expect(tooLargeEvent).toMatchObject({ status: 400, body: { message: 'Exceed payload limit' } });
    const manyEvents = Array.from({ length: 20 }, (_, index) => identify(`u${index}`, { blob: 'y'.repeat(30 * 1_024) }, `m${index}`));
    expect((await post(simulator, '/v1/batch', { batch: manyEvents, writeKey: KEY })).status).toBe(400);
    expect((await post(simulator, '/v1/identify', { ...big, writeKey: KEY })).status).toBe(400);
    expect(simulator.view.users().size).toBe(0);
  });

  it('throttles the call past the rolling limit with Retry-After and X-RateLimit-Reset in seconds', async () => {
    let clock = 1_000_000;
    const simulator = await start({ limits: { requests: 3, intervalMs: 2_000 }, now: () => clock });
    for (let call = 0; call < 3; call++) expect((await post(simulator, '/v1/batch', { batch: [], writeKey: KEY })).status).toBe(200);
    const throttled = await post(simulator, '/v1/batch', { batch: [identify('u1', { a: 1 }, 'late')], writeKey: KEY });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
    expect(throttled.headers.get('x-ratelimit-reset')).toBe('2');
    clock += 2_000;
    expect((await post(simulator, '/v1/batch', { batch: [], writeKey: KEY })).status).toBe(200);
    expect(simulator.view.stats()).toMatchObject({ requests: 5, rateLimited: 1, injectedThrottles: 0, byRoute: { batch: 5 } });
    expect(simulator.view.users().has('u1')).toBe(false);
  });

  it('injects a 429 storm (counted apart from the published limit) and server errors from the fault plan', async () => {
    const clock = 1_000_000;
    const simulator = await start({ now: () => clock });
    simulator.view.setFaults({ throttleUntil: clock + 4_500 });
    const storm = await post(simulator, '/v1/batch', { batch: [], writeKey: KEY });
    expect(storm.status).toBe(429);
    expect(storm.headers.get('retry-after')).toBe('5');
    simulator.view.setFaults({ serverErrorRate: 1 });
    expect((await post(simulator, '/v1/batch', { batch: [], writeKey: KEY })).status).toBeGreaterThanOrEqual(500);
    expect(simulator.view.stats()).toMatchObject({ rateLimited: 0, injectedThrottles: 1, serverErrors: 1 });
  });

  it('merges identify traits per userId (later values win, null clears) and ignores a repeated messageId', async () => {
    const simulator = await start();
    await post(simulator, '/v1/batch', { batch: [identify('u1', { tier: 'gold', score: 3 }, 'm1'), identify('u1', { score: 7, vip: true }, 'm2')], writeKey: KEY });
    await post(simulator, '/v1/identify', { userId: 'u1', traits: { tier: null }, messageId: 'm3', writeKey: KEY });
    // A replay of m1 would set score back to 3: Segment drops it as a duplicate.
    await post(simulator, '/v1/batch', { batch: [identify('u1', { tier: 'gold', score: 3 }, 'm1')], writeKey: KEY });
    expect(simulator.view.users().get('u1')).toEqual({ tier: null, score: 7, vip: true });
    expect(simulator.view.messageCounts().get('m1')).toBe(2);
    expect(simulator.view.eventCounts()).toEqual({ identifies: 3, otherEvents: 0, deduplicated: 1 });
    expect(simulator.view.records().get('u1')).toEqual({ vendorId: 'u1', properties: { tier: null, score: 7, vip: true } });
    expect(simulator.view.duplicateKeys()).toEqual([]);
  });

  it('answers 200 but drops events without an identifier and those the fault plan rejects', async () => {
    const simulator = await start();
    simulator.view.setFaults({ rejectKeys: new Set(['u-bad']) });
    const answer = await post(simulator, '/v1/batch', { batch: [{ type: 'identify', traits: { a: 1 }, messageId: 'anon' }, identify('u-bad', { a: 1 }, 'bad'), identify('u-ok', { a: 1 }, 'ok')], writeKey: KEY });
    expect(answer).toMatchObject({ status: 200, body: { success: true } });
    expect([...simulator.view.users().keys()]).toEqual(['u-ok']);
    expect(simulator.view.droppedEvents()).toEqual([
      { reason: 'no_user_anon_id', messageId: 'anon' },
      { reason: 'rejected_by_fault_plan', messageId: 'bad', userId: 'u-bad' },
    ]);
    expect(simulator.view.stats().rejectedRecords).toBe(2);
  });

  it('lists members by the audience display name sent in context.segflow, or by the trait key', async () => {
    const simulator = await start();
    const member = (userId: string, value: boolean, messageId: string) => ({ ...identify(userId, { vip: value }, messageId), context: { segflow: { audience_key: 'vip', audience_name: 'segflow: VIP' } } });
    await post(simulator, '/v1/batch', { batch: [member('u1', true, 'a'), member('u2', true, 'b'), member('u2', false, 'c')], writeKey: KEY });
    expect(simulator.view.listMembers('segflow: VIP')).toEqual(new Set(['u1']));
    expect(simulator.view.listMembers('vip')).toEqual(new Set(['u1']));
    expect(simulator.view.listMembers('segflow: nobody')).toEqual(new Set());
  });

  it('starts on a given port and hands out a sink config for the sandbox key', async () => {
    const probe = await start();
    const port = Number(new URL(probe.url).port);
    await probe.stop();
    running.splice(0);
    const simulator = await start({ port });
    expect(simulator.url).toBe(`http://127.0.0.1:${port}`);
    expect(simulator.sinkConfig).toEqual({ type: 'segment', host: simulator.url, write_key: KEY, limits: { requests: 1_000, interval_ms: 1_000 } });
  });
});
