import { afterEach, describe, expect, it } from 'vitest';
import { startSalesforceSimulator, type SalesforceSimulator, type SalesforceSimulatorOptions } from './salesforce-simulator.js';

const API = '/services/data/v62.0';
let simulator: SalesforceSimulator | undefined;

afterEach(async () => {
  await simulator?.stop();
  simulator = undefined;
});

async function start(options: Partial<SalesforceSimulatorOptions> = {}): Promise<SalesforceSimulator> {
  simulator = await startSalesforceSimulator({ seed: 7, limits: { latencyMs: 0, ...options.limits }, ...options });
  return simulator;
}

async function token(sim: SalesforceSimulator, secret = sim.clientSecret): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${sim.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.clientId, client_secret: secret }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function call(sim: SalesforceSimulator, accessToken: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${sim.url}${API}${path}`, {
    method,
    headers: { authorization: `Bearer ${accessToken}`, ...(body === undefined ? {} : { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed: unknown = /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text;
  return { status: response.status, body: parsed, limitInfo: response.headers.get('sforce-limit-info') };
}

async function session(sim: SalesforceSimulator): Promise<string> {
  return String((await token(sim)).body.access_token);
}

const contact = (key: string, extra: Record<string, unknown> = {}) => ({ attributes: { type: 'Contact' }, Segflow_Id__c: key, ...extra });
const upsert = (sim: SalesforceSimulator, accessToken: string, records: unknown[], allOrNone = false) => call(sim, accessToken, 'PATCH', '/composite/sobjects/Contact/Segflow_Id__c', { allOrNone, records });

describe('Salesforce simulator: OAuth and sessions', () => {
  it('issues a token for client credentials with Salesforce\'s response fields, and refuses a wrong secret', async () => {
    const sim = await start();
    const good = await token(sim);
    expect(good.status).toBe(200);
    expect(Object.keys(good.body).sort()).toEqual(['access_token', 'id', 'instance_url', 'issued_at', 'scope', 'signature', 'token_type']);
    expect(good.body.instance_url).toBe(sim.url);
    const bad = await token(sim, 'wrong');
    expect(bad).toEqual({ status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } });
  });

  it('answers 401 INVALID_SESSION_ID once tokens are expired, and counts token calls apart from API calls', async () => {
    const sim = await start();
    const accessToken = await session(sim);
    expect((await call(sim, accessToken, 'GET', '/limits')).status).toBe(200);
    sim.view.expireTokens();
    const refused = await call(sim, accessToken, 'GET', '/limits');
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    expect(sim.view.stats().byRoute['oauth.token']).toBe(1);
    expect(sim.view.stats().requests).toBe(2);
  });
});

describe('Salesforce simulator: sObject Collections', () => {
  it('rejects more than 200 records with EXCEEDED_ID_LIMIT and stores nothing', async () => {
    const sim = await start();
    const answer = await upsert(sim, await session(sim), Array.from({ length: 201 }, (_, index) => contact(`k${index}`)));
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual([{ message: 'record limit reached. cannot submit more than 200 records into this call', errorCode: 'EXCEEDED_ID_LIMIT' }]);
    expect(sim.view.records().size).toBe(0);
  });

  it('answers 200 with per-record results in order, a validation rejection among them, and never duplicates on re-upsert', async () => {
    const sim = await start();
    const accessToken = await session(sim);
    sim.view.setFaults({ rejectKeys: new Set(['b']) });
    const first = await upsert(sim, accessToken, [contact('a'), contact('b'), contact('c')]);
    expect(first.status).toBe(200);
    const results = first.body as Array<{ success: boolean; created?: boolean; errors: Array<{ statusCode: string }> }>;
    expect(results.map((result) => result.success)).toEqual([true, false, true]);
    expect(results[1]?.errors[0]?.statusCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    const again = (await upsert(sim, accessToken, [contact('a'), contact('c')])).body as Array<{ created: boolean }>;
    expect(again.map((result) => result.created)).toEqual([false, false]);
    expect([...sim.view.records().keys()].sort()).toEqual(['a', 'c']);
    expect(sim.view.duplicateKeys()).toEqual([]);
    expect(sim.view.stats().rejectedRecords).toBe(1);
  });

  it('rolls every record back under allOrNone when one fails', async () => {
    const sim = await start();
    sim.view.setFaults({ rejectKeys: new Set(['bad']) });
    const answer = await upsert(sim, await session(sim), [contact('ok1'), contact('bad'), contact('ok2')], true);
    const codes = (answer.body as Array<{ errors: Array<{ statusCode: string }> }>).map((result) => result.errors[0]?.statusCode);
    expect(codes).toEqual(['ALL_OR_NONE_OPERATION_ROLLED_BACK', 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'ALL_OR_NONE_OPERATION_ROLLED_BACK']);
    expect(sim.view.records().size).toBe(0);
  });

  it('fails the whole call for a field the org does not have', async () => {
    const sim = await start();
    const answer = await upsert(sim, await session(sim), [contact('a', { Nope__c: 1 })]);
    expect(answer).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_FIELD', message: "No such column 'Nope__c' on sobject of type Contact" }] });
  });

  it('shows a key created twice (insert instead of upsert) in duplicateKeys', async () => {
    const sim = await start();
    const accessToken = await session(sim);
    await call(sim, accessToken, 'POST', '/composite/sobjects', { allOrNone: false, records: [contact('twice')] });
    await call(sim, accessToken, 'POST', '/composite/sobjects', { allOrNone: false, records: [contact('twice')] });
    expect(sim.view.duplicateKeys()).toEqual(['twice']);
  });

  it('answers a second campaign membership with DUPLICATE_VALUE "Already a campaign member."', async () => {
    const sim = await start();
    const accessToken = await session(sim);
    const person = ((await upsert(sim, accessToken, [contact('p')])).body as Array<{ id: string }>)[0]?.id;
    const campaign = (await call(sim, accessToken, 'POST', '/sobjects/Campaign', { Name: 'VIP', IsActive: true })).body as { id: string };
    const member = { attributes: { type: 'CampaignMember' }, CampaignId: campaign.id, ContactId: person };
    const answer = await call(sim, accessToken, 'POST', '/composite/sobjects', { allOrNone: false, records: [member, member] });
    expect(answer.body).toEqual([
      { id: expect.any(String), success: true, errors: [] },
      { success: false, errors: [{ statusCode: 'DUPLICATE_VALUE', message: 'Already a campaign member.', fields: [] }] },
    ]);
    expect(sim.view.listMembers('VIP')).toEqual(new Set(['p']));
  });
});

describe('Salesforce simulator: limits and faults', () => {
  it('counts the daily allocation in Sforce-Limit-Info and refuses the call past it with TotalRequests', async () => {
    const sim = await start({ limits: { latencyMs: 0, requests: 3, intervalMs: 86_400_000 } });
    const accessToken = await session(sim);
    const headers: Array<string | null> = [];
    for (let index = 0; index < 3; index += 1) headers.push((await call(sim, accessToken, 'GET', '/limits')).limitInfo);
    expect(headers).toEqual(['api-usage=1/3', 'api-usage=2/3', 'api-usage=3/3']);
    const refused = await call(sim, accessToken, 'GET', '/limits');
    expect(refused).toEqual({ status: 403, body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }], limitInfo: 'api-usage=3/3' });
    expect(sim.view.stats().rateLimited).toBe(1);
  });

  it('refuses a request beyond the concurrent limit with ConcurrentPerOrgLongTxn', async () => {
    const sim = await start({ limits: { latencyMs: 300, concurrency: 2 } });
    const accessToken = await session(sim);
    const answers = await Promise.all([1, 2, 3].map(() => call(sim, accessToken, 'GET', '/limits')));
    const refused = answers.filter((answer) => answer.status === 403);
    expect(refused.map((answer) => answer.body)).toEqual([[{ message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]]);
    expect(sim.view.stats()).toMatchObject({ requests: 3, rateLimited: 1, injectedThrottles: 0 });
  });

  it('injects throttle storms and 5xx from the fault plan, counted apart from real limits', async () => {
    const sim = await start();
    const accessToken = await session(sim);
    sim.view.setFaults({ throttleUntil: Date.now() + 60_000 });
    expect((await call(sim, accessToken, 'GET', '/limits')).status).toBe(403);
    sim.view.setFaults({ serverErrorRate: 1 });
    expect(await call(sim, accessToken, 'GET', '/limits')).toMatchObject({ status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE' }] });
    expect(sim.view.stats()).toMatchObject({ injectedThrottles: 1, serverErrors: 1, rateLimited: 0 });
  });
});

describe('Salesforce simulator: SOQL', () => {
  it('answers the query shapes a sync sends and refuses anything else as MALFORMED_QUERY', async () => {
    const sim = await start();
    const accessToken = await session(sim);
    await upsert(sim, accessToken, [contact("o'neil"), contact('x')]);
    const soql = (text: string) => call(sim, accessToken, 'GET', `/query?q=${encodeURIComponent(text)}`);
    const found = await soql("SELECT Id, Segflow_Id__c FROM Contact WHERE Segflow_Id__c IN ('o\\'neil', 'nobody')");
    expect(found.status).toBe(200);
    expect((found.body as { records: Array<Record<string, unknown>> }).records.map((row) => row.Segflow_Id__c)).toEqual(["o'neil"]);
    expect(await soql("SELECT Id FROM Contact WHERE Segflow_Id__c = 'x' OR Segflow_Id__c = 'y'")).toMatchObject({ status: 400, body: [{ errorCode: 'MALFORMED_QUERY' }] });
    expect(await soql("SELECT Id FROM Contact WHERE Name LIKE 'x%'")).toMatchObject({ status: 400, body: [{ errorCode: 'MALFORMED_QUERY' }] });
    expect(await soql('SELECT Id, Nope__c FROM Contact')).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_FIELD' }] });
    expect(await soql('SELECT Id FROM Widget__c')).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_TYPE' }] });
  });
});
