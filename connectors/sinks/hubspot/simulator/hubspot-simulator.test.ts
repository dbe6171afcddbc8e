import { afterEach, describe, expect, it } from 'vitest';
import { type HubSpotSimulator, type HubSpotSimulatorOptions, startHubSpotSimulator } from './hubspot-simulator.js';

/** The fake's enforcement, over plain HTTP: what a HubSpot client would see. */
let simulator: HubSpotSimulator | undefined;

afterEach(async () => {
  await simulator?.stop();
  simulator = undefined;
});

async function start(options: Partial<HubSpotSimulatorOptions> = {}): Promise<HubSpotSimulator> {
  simulator = await startHubSpotSimulator({ seed: 7, limits: { requests: 1000 }, ...options });
  return simulator;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

async function call(sim: HubSpotSimulator, method: string, path: string, body?: unknown, token: string | null = sim.control.credentials.privateAppToken): Promise<Answer> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
}

const upsert = (sim: HubSpotSimulator, inputs: unknown[]) => call(sim, 'POST', '/crm/v3/objects/contacts/batch/upsert', { inputs });
const byEmail = (email: string, properties: Record<string, unknown> = {}, objectWriteTraceId?: string) => ({ id: email, idProperty: 'email', properties, ...(objectWriteTraceId ? { objectWriteTraceId } : {}) });

describe('HubSpot simulator', () => {
  it('answers 401 in HubSpot’s shape without a valid token, and after expireTokens()', async () => {
    const sim = await start();
    const anonymous = await upsert({ ...sim, control: { ...sim.control, credentials: { ...sim.control.credentials, privateAppToken: 'nope' } } }, []);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    expect(typeof anonymous.body['correlationId']).toBe('string');

    sim.view.expireTokens();
    const expired = await call(sim, 'GET', '/crm/v3/properties/contacts', undefined, sim.control.credentials.accessToken);
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ status: 'error', category: 'EXPIRED_AUTHENTICATION' });
  });

  it('issues a working access token for the OAuth refresh grant and refuses a wrong refresh token', async () => {
    const sim = await start();
    sim.view.expireTokens();
    const { clientId, clientSecret, refreshToken } = sim.control.credentials;
    const refresh = (token: string) =>
      fetch(`${sim.url}/oauth/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: token }).toString(),
      });
    const refused = await refresh('stolen');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ status: 'BAD_REFRESH_TOKEN' });
    const granted = (await (await refresh(refreshToken)).json()) as { access_token: string; expires_in: number };
    expect(granted.expires_in).toBe(1800);
    expect((await call(sim, 'GET', '/crm/v3/properties/contacts', undefined, granted.access_token)).status).toBe(200);
    expect(sim.control.refreshCount()).toBe(1);
    expect(sim.view.stats().requests).toBe(1);
  });

  it('rejects a batch over 100 inputs with a VALIDATION_ERROR and writes nothing', async () => {
    const sim = await start();
    const inputs = Array.from({ length: 101 }, (_, index) => byEmail(`user${index}@example.com`));
    const answer = await upsert(sim, inputs);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(sim.view.records().size).toBe(0);
    expect((await upsert(sim, inputs.slice(0, 100))).status).toBe(200);
    expect(sim.view.records().size).toBe(100);
  });

  it('throttles the (N+1)th call of a 10-second window with TEN_SECONDLY_ROLLING, then admits again', async () => {
    let clock = Date.UTC(2026, 10, 25, 12);
    const sim = await start({ limits: { requests: 3 }, now: () => clock });
    for (let index = 0; index < 3; index += 1) {
      const answer = await call(sim, 'GET', '/crm/v3/properties/contacts');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-hubspot-ratelimit-remaining')).toBe(String(2 - index));
    }
    const throttled = await call(sim, 'GET', '/crm/v3/properties/contacts');
    expect(throttled.status).toBe(429);
    expect(throttled.body).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
    expect(throttled.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    expect(throttled.headers.get('x-hubspot-ratelimit-max')).toBe('3');
    expect(sim.view.stats()).toMatchObject({ rateLimited: 1, injectedThrottles: 0 });
    clock += 10_000;
    expect((await call(sim, 'GET', '/crm/v3/properties/contacts')).status).toBe(200);
  });

  it('counts the daily limit per UTC day, answers DAILY past it, and sends daily headers only to private-app tokens', async () => {
    let clock = Date.UTC(2026, 10, 25, 23, 59);
    const sim = await start({ limits: { requests: 100, dailyRequests: 2 }, now: () => clock });
    const first = await call(sim, 'GET', '/crm/v3/properties/contacts');
    expect(first.headers.get('x-hubspot-ratelimit-daily')).toBe('2');
    expect(first.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('1');
    const oauth = await call(sim, 'GET', '/crm/v3/properties/contacts', undefined, sim.control.credentials.accessToken);
    expect(oauth.headers.get('x-hubspot-ratelimit-daily')).toBeNull();
    expect(oauth.headers.get('x-hubspot-ratelimit-max')).toBe('100');
    const over = await call(sim, 'GET', '/crm/v3/properties/contacts');
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ policyName: 'DAILY', message: 'You have reached your daily limit.' });
    clock += 60_000;
    expect((await call(sim, 'GET', '/crm/v3/properties/contacts')).status).toBe(200);
  });

  it('upserts by email as a full replace: unsent properties are cleared, `new` says whether it was created', async () => {
    const sim = await start();
    const created = await upsert(sim, [byEmail('Ada@Example.com', { firstname: 'Ada', lastname: 'Lovelace' })]);
    expect(created.status).toBe(200);
    const [first] = created.body['results'] as Array<Record<string, unknown>>;
    expect(first).toMatchObject({ new: true, properties: { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace' } });
    const again = await upsert(sim, [byEmail('ada@example.com', { firstname: 'Augusta' })]);
    expect((again.body['results'] as Array<Record<string, unknown>>)[0]).toMatchObject({ new: false, id: first?.['id'] });
    expect(sim.view.records().get('ada@example.com')?.properties).toEqual({ email: 'ada@example.com', firstname: 'Augusta' });
    expect(sim.view.duplicateKeys()).toEqual([]);
  });

  it('answers 207 with an error naming the input for a per-record rejection, and writes the rest', async () => {
    const sim = await start();
    sim.view.setFaults({ rejectKeys: new Set(['bad@example.com']) });
    const answer = await upsert(sim, [byEmail('good@example.com', {}, '0'), byEmail('bad@example.com', {}, '1'), byEmail('not-an-email', {}, '2')]);
    expect(answer.status).toBe(207);
    expect(answer.body['numErrors']).toBe(2);
    const errors = answer.body['errors'] as Array<{ category: string; errors: Array<{ code: string }>; context: Record<string, string[]> }>;
    expect(errors.map((error) => [error.category, error.errors[0]?.code, error.context['objectWriteTraceId']?.[0], error.context['ids']?.[0]])).toEqual([
      ['VALIDATION_ERROR', 'INVALID_EMAIL', '1', 'bad@example.com'],
      ['VALIDATION_ERROR', 'INVALID_EMAIL', '2', 'not-an-email'],
    ]);
    expect([...sim.view.records().keys()]).toEqual(['good@example.com']);
    expect(sim.view.stats().rejectedRecords).toBe(2);
  });

  it('checks values against the property schema: unknown properties and options that do not exist are rejected', async () => {
    const sim = await start();
    const property = { name: 'segments', label: 'Segments', type: 'enumeration', fieldType: 'checkbox', groupName: 'contactinformation', options: [{ label: 'VIP', value: 'vip', hidden: false }] };
    expect((await call(sim, 'POST', '/crm/v3/properties/contacts', property)).status).toBe(201);
    expect((await call(sim, 'POST', '/crm/v3/properties/contacts', property)).status).toBe(409);
    const answer = await upsert(sim, [byEmail('a@example.com', { segments: 'vip;churn' }, '0'), byEmail('b@example.com', { shoe_size: '44' }, '1'), byEmail('c@example.com', { segments: 'vip' }, '2')]);
    const codes = (answer.body['errors'] as Array<{ errors: Array<{ code: string }> }>).map((error) => error.errors[0]?.code);
    expect(codes).toEqual(['INVALID_OPTION', 'PROPERTY_DOESNT_EXIST']);
    const patched = await call(sim, 'PATCH', '/crm/v3/properties/contacts/segments', { options: [...property.options, { label: 'Churn', value: 'churn', hidden: false }] });
    expect((patched.body['options'] as unknown[]).length).toBe(2);
    expect((await upsert(sim, [byEmail('a@example.com', { segments: 'vip;churn' })])).status).toBe(200);
    expect(sim.view.records().get('a@example.com')?.properties['segments']).toBe('vip;churn');
  });

  it('GDPR-deletes a contact, and blocklists an unknown email so it cannot be created later', async () => {
    const sim = await start();
    await upsert(sim, [byEmail('known@example.com')]);
    expect((await call(sim, 'POST', '/crm/v3/objects/contacts/gdpr-delete', { objectId: 'known@example.com', idProperty: 'email' })).status).toBe(204);
    expect(sim.view.records().size).toBe(0);
    expect((await call(sim, 'POST', '/crm/v3/objects/contacts/gdpr-delete', { objectId: 'stranger@example.com', idProperty: 'email' })).status).toBe(204);
    const blocked = await upsert(sim, [byEmail('stranger@example.com', {}, '0'), byEmail('known@example.com', {}, '1')]);
    expect(blocked.status).toBe(207);
    expect((blocked.body['errors'] as Array<{ context: Record<string, string[]> }>).map((error) => error.context['ids'])).toEqual([['stranger@example.com']]);
  });

  it('keeps list names unique and reports membership changes with HubSpot’s field names', async () => {
    const sim = await start({ limits: { requests: 1000, membershipIds: 3 } });
    const created = await call(sim, 'POST', '/crm/v3/lists/', { name: 'VIP', objectTypeId: '0-1', processingType: 'MANUAL' });
    expect(created.status).toBe(200);
    const listId = (created.body['list'] as { listId: string }).listId;
    expect((await call(sim, 'POST', '/crm/v3/lists', { name: 'vip', objectTypeId: '0-1', processingType: 'MANUAL' })).status).toBe(409);
    const found = await call(sim, 'GET', `/crm/v3/lists/object-type-id/0-1/name/${encodeURIComponent('VIP')}`);
    expect(found.body['list']).toMatchObject({ listId, processingType: 'MANUAL' });
    expect((await call(sim, 'GET', '/crm/v3/lists/object-type-id/0-1/name/Nobody%20here')).status).toBe(404);

    const ids = ((await upsert(sim, [byEmail('a@example.com'), byEmail('b@example.com')])).body['results'] as Array<{ id: string }>).map((result) => result.id);
    const add = (body: unknown) => call(sim, 'PUT', `/crm/v3/lists/${listId}/memberships/add`, body);
    expect((await add(ids)).body).toEqual({ recordIdsMissing: [], recordIdsRemoved: [], recordsIdsAdded: ids });
    expect((await add([ids[0], '999999'])).body).toEqual({ recordIdsMissing: ['999999'], recordIdsRemoved: [], recordsIdsAdded: [] });
    expect((await add({ ids })).status).toBe(400);
    expect((await add(['1', '2', '3', '4'])).status).toBe(400);
    expect(sim.view.listMembers('VIP')).toEqual(new Set(['a@example.com', 'b@example.com']));
    const removed = await call(sim, 'PUT', `/crm/v3/lists/${listId}/memberships/remove`, [ids[1]]);
    expect(removed.body).toMatchObject({ recordIdsRemoved: [ids[1]] });
    const both = await call(sim, 'PUT', `/crm/v3/lists/${listId}/memberships/add-and-remove`, { recordIdsToAdd: [ids[1]], recordIdsToRemove: [ids[0]] });
    expect(both.body).toEqual({ recordIdsMissing: [], recordIdsRemoved: [ids[0]], recordsIdsAdded: [ids[1]] });
    expect(sim.view.listMembers('VIP')).toEqual(new Set(['b@example.com']));
  });

  it('injects storms, server errors and missing scopes as HubSpot would answer them', async () => {
    let clock = 1_000_000;
    const sim = await start({ now: () => clock });
    sim.view.setFaults({ throttleUntil: clock + 5_000 });
    expect((await call(sim, 'GET', '/crm/v3/properties/contacts')).body).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING' });
    clock += 5_000;
    sim.view.setFaults({ serverErrorRate: 1 });
    expect((await call(sim, 'GET', '/crm/v3/properties/contacts')).status).toBeGreaterThanOrEqual(500);
    sim.view.setFaults({});
    sim.control.grantScopes(['crm.objects.contacts.write']);
    const forbidden = await call(sim, 'POST', '/crm/v3/lists', { name: 'x', objectTypeId: '0-1', processingType: 'MANUAL' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ category: 'MISSING_SCOPES', errors: [{ context: { requiredGranularScopes: ['crm.lists.write'] } }] });
    expect(sim.view.stats()).toMatchObject({ requests: 3, injectedThrottles: 1, serverErrors: 1, rateLimited: 0, byRoute: { 'properties.list': 2, 'lists.create': 1 } });
  });
});
