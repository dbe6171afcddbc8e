import { Client } from '@hubspot/api-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sink, SinkChange } from '../../../core/sync/sink.js';
import { createHubSpotSink } from './hubspot-sink.js';
import { recordingContext } from '../../../core/sync/recording-context.test-support.js';
import { type HubSpotSimulator, startHubSpotSimulator } from './simulator/hubspot-simulator.js';

/** Tokens, refresh, and the SDK's process-global settings: what must not surface as failures, and what must. */
const running: HubSpotSimulator[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.stop()));
});

async function start(seed: number, limits = { requests: 10_000 }): Promise<HubSpotSimulator> {
  const sim = await startHubSpotSimulator({ seed, limits });
  running.push(sim);
  return sim;
}

const upsertBatch = (from: number, count: number) => ({
  op: 'upsert' as const,
  changes: Array.from({ length: count }, (_, index): SinkChange => ({ op: 'upsert', record: { profileId: `u:${from + index}`, key: `p${from + index}@example.com` }, properties: {} })),
});

async function prepared(sim: HubSpotSimulator, config: Record<string, unknown> = {}): Promise<Sink> {
  const sink = createHubSpotSink({ ...sim.sinkConfig, ...config });
  await sink.prepare({ properties: [], lists: [] }, recordingContext());
  return sink;
}

describe('HubSpot sink authentication', () => {
  it('survives token expiry mid-run: one refresh shared by concurrent calls, each call replayed once', async () => {
    const sim = await start(1);
    const sink = await prepared(sim);
    const context = recordingContext();
    await sink.apply(upsertBatch(0, 100), context);
    sim.view.expireTokens();
    const results = await Promise.all([1, 2, 3, 4, 5].map((batch) => sink.apply(upsertBatch(batch * 100, 100), context)));
    expect(results.flat().every((result) => result.status === 'applied')).toBe(true);
    expect(sim.control.refreshCount()).toBe(1);
    expect(context.labels.filter((label) => label === 'oauth.refresh')).toHaveLength(1);
    sim.view.expireTokens();
    await sink.apply(upsertBatch(600, 100), context);
    expect(sim.control.refreshCount()).toBe(2);
    expect(sim.view.records().size).toBe(700);
  });

  it('starts from OAuth credentials alone by fetching a token first', async () => {
    const sim = await start(2);
    const sink = await prepared(sim, { access_token: undefined });
    expect((await sink.apply(upsertBatch(0, 3), recordingContext())).map((result) => result.status)).toEqual(['applied', 'applied', 'applied']);
    expect(sim.control.refreshCount()).toBe(1);
  });

  it('reports an expired private-app token as a config error (it cannot be refreshed)', async () => {
    const sim = await start(3);
    const sink = await prepared(sim, { access_token: sim.control.credentials.privateAppToken, refresh_token: undefined, client_id: undefined, client_secret: undefined });
    sim.view.expireTokens();
    await expect(sink.apply(upsertBatch(0, 1), recordingContext())).rejects.toMatchObject({ kind: 'config', code: 'hubspot.unauthorized' });
    expect(sim.control.refreshCount()).toBe(0);
  });

  it('reports a refused refresh as a config error', async () => {
    const sim = await start(4);
    const sink = await prepared(sim, { refresh_token: 'revoked' });
    sim.view.expireTokens();
    await expect(sink.apply(upsertBatch(0, 1), recordingContext())).rejects.toMatchObject({ kind: 'config', code: 'hubspot.refresh_failed' });
  });

  it('stops prepare with a config error naming the scope the app lacks', async () => {
    const sim = await start(5);
    sim.control.grantScopes(['crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.schemas.contacts.read', 'crm.schemas.contacts.write', 'crm.lists.read']);
    const sink = createHubSpotSink(sim.sinkConfig);
    const failure = sink.prepare({ properties: [], lists: [{ key: 'vip', name: 'VIP' }] }, recordingContext());
    await expect(failure).rejects.toMatchObject({ kind: 'config', code: 'hubspot.missing_scopes', message: expect.stringContaining('crm.lists.write') });
  });

  it('leaves throttling to the executor: a 429 comes back at once, without SDK retries', async () => {
    const sim = await start(6, { requests: 2 });
    const sink = createHubSpotSink(sim.sinkConfig);
    const context = recordingContext();
    await sink.apply(upsertBatch(0, 1), context);
    await sink.apply(upsertBatch(1, 1), context);
    await expect(sink.apply(upsertBatch(2, 1), context)).rejects.toMatchObject({ kind: 'retryable', code: 'hubspot.rate_limited', details: { throttled: true, retryAfterMs: 10_000 } });
    expect(sim.view.stats()).toMatchObject({ requests: 3, rateLimited: 1 });
  });

  it('keeps two sinks, and any other HubSpot client, in one process from changing each other’s settings', async () => {
    const [simA, simB, simC] = [await start(7), await start(8), await start(9)];
    // A client with SDK retries, created before the sinks. The SDK keeps decorators in a process-global
    // singleton and applies them when an API object is first used, so creating a sink must leave it alone.
    const retrying = new Client({ basePath: simC.url, accessToken: simC.control.credentials.privateAppToken, numberOfApiCallRetries: 2 });
    const sinkA = createHubSpotSink(simA.sinkConfig);
    const sinkB = createHubSpotSink(simB.sinkConfig);
    simC.view.setFaults({ serverErrorRate: 1 });
    await expect(retrying.crm.contacts.batchApi.upsert({ inputs: [] })).rejects.toMatchObject({ code: expect.any(Number) });
    expect(simC.view.stats().serverErrors).toBe(2);

    // A retrying client created after sink A must not give sink A retries.
    new Client({ basePath: simC.url, numberOfApiCallRetries: 6 });
    const context = recordingContext();
    simA.view.setFaults({ serverErrorRate: 1 });
    await expect(sinkA.apply(upsertBatch(0, 1), context)).rejects.toMatchObject({ kind: 'retryable', code: 'hubspot.server_error' });
    expect(simA.view.stats().serverErrors).toBe(1);

    await sinkB.apply(upsertBatch(10, 2), context);
    expect([...simB.view.records().keys()]).toEqual(['p10@example.com', 'p11@example.com']);
    expect(simA.view.records().size).toBe(0);
    expect(sinkA.account).not.toBe(sinkB.account);
  });
});

describe('HubSpot sink configuration', () => {
  it('names the missing credentials and ignores the engine’s keys', () => {
    expect(() => createHubSpotSink({ type: 'hubspot', id: 'crm', mode: 'sync' })).toThrow(expect.objectContaining({ kind: 'config', code: 'hubspot.credentials_missing' }));
    expect(() => createHubSpotSink({ type: 'hubspot', refresh_token: 'r', client_id: 'c' })).toThrow(/client_secret/);
    expect(() => createHubSpotSink({ type: 'hubspot', access_token: 't', base_url: 'not a url' })).toThrow(/base_url/);
    const sink = createHubSpotSink({ type: 'hubspot', id: 'crm', access_token: 'pat-na1-x', limits: { requests: 190 }, list_batch_size: 500 });
    expect(sink.capabilities()).toMatchObject({
      operations: { upsert: { maxBatch: 100 }, update: { maxBatch: 100 }, 'list-add': { maxBatch: 500 }, 'list-remove': { maxBatch: 500 }, delete: { maxBatch: 1 } },
      rateLimit: { requests: 190, intervalMs: 10_000 },
      concurrency: 10,
      membershipNeedsVendorId: true,
    });
    expect(sink.account).toMatch(/^hubspot:token-[0-9a-f]{12}@api\.hubapi\.com$/);
    expect(sink.account).not.toContain('pat-na1-x');
  });
});
