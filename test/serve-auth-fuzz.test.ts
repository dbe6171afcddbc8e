import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMixpanelExportFake, type MixpanelExportFake } from './fakes/mixpanel/export-fake.js';
import { basicHeader, CANARY_EMAIL, cohortBody, COHORT_USER, KEYS, startFuzzServer, type FuzzServer } from './support/auth-fuzz-server.js';
import { temporaryDirectory } from './support/temporary-directory.js';

/**
 * Auth fuzzing on every endpoint of `segflow serve`: wrong, missing,
 * truncated, extended and differently-cased keys, differently-cased schemes,
 * keys of another scope, replayed webhook signatures, huge headers and
 * malformed Basic base64 are all refused (401/403, 431 for a header over
 * Node's limit), never with a 5xx and never with data; valid keys keep
 * working in any scheme case. Variants come from fast-check, seeded.
 */
const SEED = 1111;
const RUNS = 40;
let live: FuzzServer;
let exportFake: MixpanelExportFake;
let sequence = 0;

const SHOPPERS = [
  { type: 'track', event: 'Order Completed', userId: 'u-ana', messageId: 'seed-1', timestamp: '2026-11-29T10:00:00Z', properties: { order_id: 'o-1' } },
  { type: 'identify', userId: 'u-ana', messageId: 'seed-2', timestamp: '2026-11-29T10:01:00Z', traits: { email: CANARY_EMAIL } },
];

beforeAll(async () => {
  exportFake = await startMixpanelExportFake({ projectId: '4242', username: 'sa', secret: 'export-secret' });
  live = await startFuzzServer(temporaryDirectory('auth-fuzz'), { exportUrl: exportFake.url, rateLimits: '{ failed_auth_per_minute: 1000000 }' });
  const seeded = await call('/v1/batch', { method: 'POST', headers: { authorization: basicHeader(KEYS.write) }, body: JSON.stringify({ batch: SHOPPERS }) });
  expect(seeded.status).toBe(200);
  await live.server.scheduler!.fire('hourly');
  // The profile is there to leak: a refusal that carried it would fail the assertions below.
  const ana = await call('/v1/profiles/u-ana', { headers: { authorization: `Bearer ${KEYS.profile}` } });
  expect(ana.status).toBe(200);
  expect(ana.text).toContain('Everyone');
}, 60_000);
afterAll(async () => {
  await live?.close();
  await exportFake?.close();
});

interface Answer { status: number; text: string }

async function call(path: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
  const response = await fetch(`${live.server.url}${path}`, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  return { status: response.status, text: await response.text() };
}

/** Nothing a caller without the right key may learn: profile fields, counts, metric series, any key. */
function expectRevealsNothing(answer: Answer): void {
  expect(answer.status).toBeLessThan(500);
  for (const secret of ['u-ana', CANARY_EMAIL, 'Everyone', 'segments', 'features', 'frequency', 'profileId', '"accepted"', '"loaded"', 'backlogBytes', 'nextRuns', 'segflow_', ...Object.values(KEYS)]) {
    expect(answer.text).not.toContain(secret);
  }
}

// ---- generated credential variants ------------------------------------------------------------

const TOKEN_CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.~+/='];
const token = (min = 1, max = 40) => fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: min, maxLength: max });

/** Same letters, at least one in the other case. */
const caseFlipped = (key: string) =>
  fc.array(fc.boolean(), { minLength: key.length, maxLength: key.length }).map((mask) => {
    const letters = [...key].map((char, index) => (mask[index] ? (char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase()) : char));
    const flipped = letters.join('');
    if (flipped !== key) return flipped;
    const first = key.search(/[a-z]/i);
    return key.slice(0, first) + (key[first] === key[first]!.toLowerCase() ? key[first]!.toUpperCase() : key[first]!.toLowerCase()) + key.slice(first + 1);
  });

/** Keys that are not `key`: random, truncated, extended, case-flipped. */
const wrongKey = (key: string) =>
  fc.oneof(
    token().filter((candidate) => candidate !== key),
    fc.integer({ min: 0, max: key.length - 1 }).map((length) => key.slice(0, length)),
    token(1, 8).map((suffix) => key + suffix),
    token(1, 8).map((prefix) => prefix + key),
    caseFlipped(key),
  );

const schemeCase = (scheme: string) => fc.oneof(caseFlipped(scheme), fc.constantFrom(scheme, scheme.toLowerCase(), scheme.toUpperCase()));
/** Not base64 at all: characters base64 never uses, or misplaced padding. */
const malformedBase64 = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'!#$%&*()[]{}<>?@^`|~,;'), minLength: 1, maxLength: 20 }),
  token(2, 20).map((text) => `=${text.replace(/=/g, '')}`),
  token(2, 20).map((text) => `${Buffer.from(text).toString('base64')}%`),
);
const hugeValue = fc.integer({ min: 4_000, max: 12_000 }).map((length) => 'Q'.repeat(length));

/** Authorization / X-API-Key headers that must not open a Bearer route for `scope`'s key. */
function badBearer(key: string, otherKeys: readonly string[]): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    fc.constant({}),
    wrongKey(key).map((wrong) => ({ authorization: `Bearer ${wrong}` })),
    fc.tuple(schemeCase('Bearer'), wrongKey(key)).map(([scheme, wrong]) => ({ authorization: `${scheme} ${wrong}` })),
    wrongKey(key).map((wrong) => ({ 'x-api-key': wrong })),
    fc.constantFrom(...otherKeys).map((other) => ({ authorization: `Bearer ${other}` })),
    fc.constant({ authorization: basicHeader(key) }),
    fc.constant({ authorization: key }),
    hugeValue.map((value) => ({ authorization: `Bearer ${value}` })),
  );
}

/** Basic headers that must not pass for `user:password`. */
function badBasic(user: string, password: string, otherKeys: readonly string[]): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    fc.constant({}),
    wrongKey(password).map((wrong) => ({ authorization: basicHeader(user, wrong) })),
    user === '' ? wrongKey(password).map((wrong) => ({ authorization: basicHeader(wrong) })) : caseFlipped(user).map((wrong) => ({ authorization: basicHeader(wrong, password) })),
    fc.tuple(schemeCase('Basic'), wrongKey(password)).map(([scheme, wrong]) => ({ authorization: `${scheme} ${Buffer.from(user === '' ? `${wrong}:` : `${user}:${wrong}`).toString('base64')}` })),
    fc.constantFrom(...otherKeys).map((other) => ({ authorization: user === '' ? basicHeader(other) : basicHeader(user, other) })),
    malformedBase64.map((garbage) => ({ authorization: `Basic ${garbage}` })),
    fc.constant({ authorization: `Bearer ${password}` }),
    hugeValue.map((value) => ({ authorization: `Basic ${value}` })),
  );
}

const others = (own: string) => Object.values(KEYS).filter((key) => key !== own);
const track = () => ({ type: 'track', event: 'Fuzzed', userId: 'u-fuzz', messageId: `fuzz-bad-${(sequence += 1)}`, timestamp: '2026-11-29T11:00:00Z' });
const property = <T>(arbitrary: fc.Arbitrary<T>, check: (value: T) => Promise<void>) => fc.assert(fc.asyncProperty(arbitrary, check), { seed: SEED, numRuns: RUNS });

// ---- the endpoints ----------------------------------------------------------------------------

describe('ingest API (/v1/batch, /v1/track, …)', () => {
  it('refuses every wrong write key, in the header or the body, and stores nothing from it', async () => {
    const before = await live.count();
    await property(fc.tuple(fc.constantFrom('batch', 'track', 'identify', 'page'), badBasic('', KEYS.write, others(KEYS.write))), async ([path, headers]) => {
      const body = path === 'batch' ? { batch: [track()] } : track();
      const answer = await call(`/v1/${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      expect(answer.status).toBe(401);
      expectRevealsNothing(answer);
    });
    await property(wrongKey(KEYS.write), async (wrong) => {
      const answer = await call('/v1/batch', { method: 'POST', body: JSON.stringify({ batch: [track()], writeKey: wrong }) });
      expect(answer.status).toBe(401);
      expectRevealsNothing(answer);
    });
    expect(await live.count()).toBe(before);
    expect(await live.count("SELECT count(*) FROM events WHERE message_id LIKE 'fuzz-bad-%'")).toBe(0);
  }, 60_000);

  it('accepts the valid key whatever the case of the scheme', async () => {
    await property(schemeCase('Basic'), async (scheme) => {
      const answer = await call('/v1/track', { method: 'POST', headers: { authorization: `${scheme} ${Buffer.from(`${KEYS.write}:`).toString('base64')}` }, body: JSON.stringify({ ...track(), messageId: `fuzz-good-${(sequence += 1)}` }) });
      expect(answer.status).toBe(200);
    });
  }, 60_000);
});

describe('Segment webhook (/webhooks/segment/web)', () => {
  const sign = (body: string, secret: string = KEYS.webhook) => createHmac('sha1', secret).update(body).digest('hex');
  const event = fc.record({ event: token(1, 12), userId: token(1, 12) }).map((fields) => JSON.stringify({ type: 'track', messageId: `fuzz-bad-${(sequence += 1)}`, timestamp: '2026-11-29T11:00:00Z', ...fields }));

  it('refuses a replayed signature on another body, a wrong secret, a bent or missing signature', async () => {
    const before = await live.count();
    const badSignature = fc.oneof(
      fc.tuple(event, event).filter(([a, b]) => a !== b).map(([signed, sent]) => ({ body: sent, signature: sign(signed) })),
      fc.tuple(event, wrongKey(KEYS.webhook)).map(([body, secret]) => ({ body, signature: sign(body, secret) })),
      fc.tuple(event, fc.integer({ min: 0, max: 39 })).map(([body, length]) => ({ body, signature: sign(body).slice(0, length) })),
      event.map((body) => ({ body, signature: `${sign(body)}00` })),
      event.map((body) => ({ body, signature: undefined })),
      fc.tuple(event, hugeValue).map(([body, signature]) => ({ body, signature })),
    );
    await property(badSignature, async ({ body, signature }) => {
      const answer = await call('/webhooks/segment/web', { method: 'POST', headers: signature === undefined ? {} : { 'x-signature': signature }, body });
      expect([401, 431]).toContain(answer.status);
      expectRevealsNothing(answer);
    });
    expect(await live.count()).toBe(before);
  }, 60_000);

  it('accepts a correctly signed body', async () => {
    const body = JSON.stringify({ ...track(), messageId: 'fuzz-good-webhook' });
    expect((await call('/webhooks/segment/web', { method: 'POST', headers: { 'x-signature': sign(body) }, body })).status).toBe(200);
  });
});

describe('Mixpanel cohort webhook (/webhooks/mixpanel/mp)', () => {
  it('refuses every wrong login before reading the body, and keeps no cohort state from it', async () => {
    await property(badBasic(COHORT_USER, KEYS.cohortPassword, others(KEYS.cohortPassword)), async (headers) => {
      const answer = await call('/webhooks/mixpanel/mp', { method: 'POST', headers, body: JSON.stringify(cohortBody('66', ['fuzz-member'])) });
      expect([401, 431]).toContain(answer.status);
      expectRevealsNothing(answer);
    });
    expect(await live.workspace.state.meta.get('mixpanel.cohort:mp:mixpanel:4242:66')).toBeUndefined();
  }, 60_000);

  it('accepts the login whatever the case of the scheme', async () => {
    await property(schemeCase('Basic'), async (scheme) => {
      const headers = { authorization: `${scheme} ${Buffer.from(`${COHORT_USER}:${KEYS.cohortPassword}`).toString('base64')}` };
      expect((await call('/webhooks/mixpanel/mp', { method: 'POST', headers, body: JSON.stringify(cohortBody('77', ['m-1'])) })).status).toBe(200);
    });
    expect(await live.workspace.state.meta.get('mixpanel.cohort:mp:mixpanel:4242:77')).toBeDefined();
  }, 60_000);
});

describe('profile API (/v1/profiles/:id)', () => {
  it('refuses every wrong key with 401, another scope\'s key with 403, and shows no profile', async () => {
    await property(badBearer(KEYS.profile, others(KEYS.profile)), async (headers) => {
      const answer = await call('/v1/profiles/u-ana', { headers });
      const otherScope = headers.authorization === `Bearer ${KEYS.admin}`;
      expect(answer.status).toBe(otherScope ? 403 : 401);
      expectRevealsNothing(answer);
    });
  }, 60_000);

  it('answers the valid key whatever the case of the scheme, or as X-API-Key', async () => {
    await property(schemeCase('Bearer'), async (scheme) => {
      const answer = await call('/v1/profiles/u-ana', { headers: { authorization: `${scheme} ${KEYS.profile}` } });
      expect(answer.status).toBe(200);
      expect(answer.text).toContain('Everyone');
    });
    expect((await call('/v1/profiles/u-ana', { headers: { 'x-api-key': KEYS.profile } })).status).toBe(200);
  }, 60_000);
});

describe('/metrics and /healthz', () => {
  it('/metrics refuses every wrong key with 401 and a profile key with 403', async () => {
    await property(badBearer(KEYS.admin, others(KEYS.admin)), async (headers) => {
      const answer = await call('/metrics', { headers });
      expect(answer.status).toBe(headers.authorization === `Bearer ${KEYS.profile}` ? 403 : 401);
      expectRevealsNothing(answer);
    });
    const scraped = await call('/metrics', { headers: { authorization: `bearer ${KEYS.admin}` } });
    expect(scraped.status).toBe(200);
    expect(scraped.text).toMatch(/^segflow_events_accepted_total\{source="web"\} \d+$/m);
  }, 60_000);

  it('/healthz answers anyone with its status only; the counts need the admin key', async () => {
    await property(fc.oneof(badBearer(KEYS.admin, others(KEYS.admin)), fc.constant({ authorization: `Bearer ${KEYS.profile}` })), async (headers) => {
      const answer = await call('/healthz', { headers });
      expect(answer.status).toBe(200);
      expect(Object.keys(JSON.parse(answer.text) as object)).toEqual(['status']);
      expectRevealsNothing(answer);
    });
    const admin = JSON.parse((await call('/healthz', { headers: { authorization: `Bearer ${KEYS.admin}` } })).text) as Record<string, unknown>;
    expect(admin).toMatchObject({ status: 'ok', accepted: expect.any(Number), loaded: expect.any(Number) });
  }, 60_000);
});

describe('sizes', () => {
  it('answers a header over Node\'s 16 KB limit with 431, on every endpoint', async () => {
    const huge = { authorization: `Bearer ${'Q'.repeat(40_000)}` };
    for (const [path, method] of [['/v1/batch', 'POST'], ['/webhooks/segment/web', 'POST'], ['/webhooks/mixpanel/mp', 'POST'], ['/v1/profiles/u-ana', 'GET'], ['/metrics', 'GET'], ['/healthz', 'GET']] as const) {
      const answer = await call(path, { method, headers: huge, ...(method === 'POST' ? { body: '{}' } : {}) });
      expect(answer.status, path).toBe(431);
      expectRevealsNothing(answer);
    }
  });

  it('refuses bodies over each route\'s limit with 413: 4 MiB for the ingest API and its webhook, 16 MiB for cohorts', async () => {
    const five = Buffer.alloc(5 * 1024 * 1024, 0x20);
    expect((await call('/v1/batch', { method: 'POST', headers: { authorization: basicHeader(KEYS.write) }, body: five })).status).toBe(413);
    expect((await call('/webhooks/segment/web', { method: 'POST', headers: { 'x-signature': '00' }, body: five })).status).toBe(413);
    const seventeen = Buffer.alloc(17 * 1024 * 1024, 0x20);
    expect((await call('/webhooks/mixpanel/mp', { method: 'POST', headers: { authorization: basicHeader(COHORT_USER, KEYS.cohortPassword) }, body: seventeen })).status).toBe(413);
  });
});

/** A GET with a body (fetch will not send one): Fastify never parses or buffers a GET body, so a big one changes nothing. */
function getWithBody(path: string, headers: Record<string, string>, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${live.server.url}${path}`, { method: 'GET', headers: { ...headers, 'content-type': 'application/json', 'content-length': String(body.length) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('GET routes with a body', () => {
  it('refuses a wrong key the same way and never answers 5xx, whatever the body', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 0x20);
    for (const path of ['/v1/profiles/u-ana', '/metrics']) {
      const answer = await getWithBody(path, { authorization: 'Bearer wrong' }, big);
      expect(answer.status, path).toBe(401);
      expectRevealsNothing(answer);
    }
  });
});

describe('what the server keeps and logs', () => {
  it('never logs a key, a signature secret or the profile it protects', () => {
    const logged = live.logs.join('');
    expect(logged).toContain('request refused');
    for (const secret of [...Object.values(KEYS), CANARY_EMAIL]) expect(logged).not.toContain(secret);
  });
});
