import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMixpanelExportFake, type MixpanelExportFake } from './fakes/mixpanel/export-fake.js';
import { basicHeader, KEYS, openFuzzWorkspace, startFuzzServer, type FuzzServer } from './support/auth-fuzz-server.js';
import { temporaryDirectory } from './support/temporary-directory.js';
import { startServer } from '../cli/serve/serve-app.js';

/**
 * `serve.rate_limits` as a client sees them: per-key budgets answered with
 * 429 and Retry-After, a failed-auth budget per address that never holds a
 * valid key back, and the start-up refusal to expose /metrics unauthenticated.
 * Time moves by stepping the server's rate-limit clock, never by sleeping.
 */
let live: FuzzServer;
let exportFake: MixpanelExportFake;

beforeAll(async () => {
  exportFake = await startMixpanelExportFake({ projectId: '4242', username: 'sa', secret: 'export-secret' });
  live = await startFuzzServer(temporaryDirectory('auth-limits'), { exportUrl: exportFake.url, rateLimits: '{ ingest_per_second: 1, profile_per_second: 1, failed_auth_per_minute: 3 }', serveExtra: "  trust_proxy: ['127.0.0.1']\n" });
}, 60_000);
afterAll(async () => {
  await live?.close();
  await exportFake?.close();
});

let sequence = 0;
async function ingest(authorization: string): Promise<Response> {
  sequence += 1;
  return fetch(`${live.server.url}/v1/track`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ type: 'track', event: 'Limited', userId: 'u-1', messageId: `limit-${sequence}`, timestamp: '2026-11-29T11:00:00Z' }),
  });
}
const profile = (key: string, forwardedFor?: string) => fetch(`${live.server.url}/v1/profiles/u-1`, { headers: { authorization: `Bearer ${key}`, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) } });

describe('per-key rate limits', () => {
  it('lets a write key burst to twice its rate, then answers 429 with Retry-After until a token comes back', async () => {
    expect((await ingest(basicHeader(KEYS.write))).status).toBe(200);
    expect((await ingest(basicHeader(KEYS.write))).status).toBe(200);
    const limited = await ingest(basicHeader(KEYS.write));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toMatchObject({ success: false, error: expect.stringContaining('serve.rate_limits.ingest_per_second') });
    live.clock.ms += 1000;
    expect((await ingest(basicHeader(KEYS.write))).status).toBe(200);
  });

  it('limits profile keys on their own budget (the ingest key being spent does not matter)', async () => {
    // No run yet: an admitted request is a 503 "no profiles yet", a refused one 429.
    expect((await profile(KEYS.profile)).status).toBe(503);
    expect((await profile(KEYS.profile)).status).toBe(503);
    const limited = await profile(KEYS.profile);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    live.clock.ms += 1000;
    expect((await profile(KEYS.profile)).status).toBe(503);
  });
});

describe('failed-auth budget per client address', () => {
  it('turns further wrong keys into 429 after three a minute, while the valid keys from the same address still pass', async () => {
    live.clock.ms += 60_000;
    for (let attempt = 0; attempt < 3; attempt++) expect((await profile(`guess-${attempt}`)).status).toBe(401);
    const throttled = await profile('guess-4');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('20');
    // Every endpoint draws on the same budget.
    expect((await ingest(basicHeader('guess-5'))).status).toBe(429);
    expect((await fetch(`${live.server.url}/metrics`, { headers: { authorization: 'Bearer guess-6' } })).status).toBe(429);
    // Valid keys are checked first and never held back.
    expect((await profile(KEYS.profile)).status).toBe(503);
    expect((await ingest(basicHeader(KEYS.write))).status).toBe(200);
    expect((await fetch(`${live.server.url}/metrics`, { headers: { authorization: `Bearer ${KEYS.admin}` } })).status).toBe(200);
    live.clock.ms += 20_000;
    expect((await profile('guess-7')).status).toBe(401);
  });

  it('behind a proxy listed in serve.trust_proxy, counts per forwarded client address', async () => {
    live.clock.ms += 60_000;
    for (let attempt = 0; attempt < 3; attempt++) expect((await profile(`guess-${attempt}`, '203.0.113.7')).status).toBe(401);
    expect((await profile('guess-3', '203.0.113.7')).status).toBe(429);
    expect((await profile('guess-4', '198.51.100.2')).status).toBe(401);
  });
});

describe('start-up', () => {
  it('refuses to serve /metrics unauthenticated on a non-loopback host, naming serve.admin_api_keys', async () => {
    const workspace = await openFuzzWorkspace(temporaryDirectory('auth-public'), { exportUrl: exportFake.url, admin: false });
    try {
      await expect(startServer(workspace, { host: '0.0.0.0', port: 0, scheduleTimers: false })).rejects.toThrow(/--host 0\.0\.0\.0 is not a loopback address.*serve\.admin_api_keys/);
    } finally {
      await workspace.close();
    }
  });

  it('serves /metrics and the /healthz counts without a key on loopback when no admin key is set', async () => {
    const open = await startFuzzServer(temporaryDirectory('auth-loopback'), { exportUrl: exportFake.url, admin: false });
    try {
      expect((await fetch(`${open.server.url}/metrics`)).status).toBe(200);
      expect(await (await fetch(`${open.server.url}/healthz`)).json()).toMatchObject({ status: 'ok', accepted: 0 });
    } finally {
      await open.close();
    }
  });
});
