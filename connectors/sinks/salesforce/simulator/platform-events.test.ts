import { afterEach, describe, expect, it } from 'vitest';
import { startSalesforceSimulator, type SalesforceSimulator, type SalesforceSimulatorOptions } from './salesforce-simulator.js';

const API = '/services/data/v62.0';
const EVENT = 'Cart_Abandoned__e';
let simulator: SalesforceSimulator | undefined;

afterEach(async () => {
  await simulator?.stop();
  simulator = undefined;
});

async function start(options: Partial<SalesforceSimulatorOptions> = {}): Promise<{ sim: SalesforceSimulator; accessToken: string }> {
  const sim = await startSalesforceSimulator({
    seed: 3,
    ...options,
    limits: { latencyMs: 0, ...options.limits },
    platformEvents: { [EVENT]: [{ name: 'Cart_Id__c' }, { name: 'Cart_Value__c', type: 'double' }, { name: 'Segflow_Action_Id__c' }] },
  });
  simulator = sim;
  const response = await fetch(`${sim.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.clientId, client_secret: sim.clientSecret }).toString(),
  });
  return { sim, accessToken: String(((await response.json()) as { access_token: unknown }).access_token) };
}

async function call(sim: SalesforceSimulator, accessToken: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; limitInfo: string | null }> {
  const response = await fetch(`${sim.url}${API}${path}`, {
    method,
    headers: { authorization: `Bearer ${accessToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json(), limitInfo: response.headers.get('sforce-limit-info') };
}

const event = (fields: Record<string, unknown>, type = EVENT) => ({ attributes: { type }, ...fields });

describe('Salesforce simulator: Platform Events', () => {
  it('publishes one event with 201 and OPERATION_ENQUEUED in errors, stores it with a ReplayId, and counts an API request', async () => {
    const { sim, accessToken } = await start();
    const answer = await call(sim, accessToken, 'POST', `/sobjects/${EVENT}/`, { Cart_Id__c: 'c-1', Cart_Value__c: 42.5 });
    expect(answer.status).toBe(201);
    const body = answer.body as { id: string; success: boolean; errors: Array<{ statusCode: string; message: string; fields: unknown[] }> };
    expect(body.success).toBe(true);
    expect(body.id).toMatch(/^e01/);
    expect(body.errors).toEqual([{ statusCode: 'OPERATION_ENQUEUED', message: expect.stringMatching(/^[0-9a-f-]{36}$/), fields: [] }]);
    const [published] = sim.publishedEvents(EVENT);
    expect(published).toMatchObject({ eventUuid: body.errors[0]?.message, fields: { Cart_Id__c: 'c-1', Cart_Value__c: 42.5 } });
    expect(published?.replayId).toMatch(/^\d+$/);
    expect(answer.limitInfo).toBe('api-usage=1/100000');
  });

  it('publishes a collection with one SaveResult per event, in order', async () => {
    const { sim, accessToken } = await start();
    const answer = await call(sim, accessToken, 'POST', '/composite/sobjects', { allOrNone: false, records: [event({ Cart_Id__c: 'a' }), event({ Cart_Id__c: 'b' })] });
    expect(answer.status).toBe(200);
    expect((answer.body as Array<{ success: boolean; errors: Array<{ statusCode: string }> }>).map((result) => [result.success, result.errors[0]?.statusCode])).toEqual([
      [true, 'OPERATION_ENQUEUED'],
      [true, 'OPERATION_ENQUEUED'],
    ]);
    const events = sim.publishedEvents(EVENT);
    expect(events.map((published) => published.fields.Cart_Id__c)).toEqual(['a', 'b']);
    expect(Number(events[1]?.replayId)).toBeGreaterThan(Number(events[0]?.replayId));
  });

  it('refuses a field the event lacks for the whole call, naming it, and publishes nothing', async () => {
    const { sim, accessToken } = await start();
    const single = await call(sim, accessToken, 'POST', `/sobjects/${EVENT}`, { Coupon__c: 'X' });
    expect(single.status).toBe(400);
    expect(single.body).toEqual([{ errorCode: 'INVALID_FIELD', message: `No such column 'Coupon__c' on sobject of type ${EVENT}`, fields: ['Coupon__c'] }]);
    const collection = await call(sim, accessToken, 'POST', '/composite/sobjects', { allOrNone: false, records: [event({ Cart_Id__c: 'a' }), event({ Coupon__c: 'X' })] });
    expect(collection.status).toBe(400);
    expect((collection.body as Array<{ errorCode: string }>)[0]?.errorCode).toBe('INVALID_FIELD');
    expect(sim.publishedEvents(EVENT)).toEqual([]);
  });

  it('refuses an unknown event: describe and publish answer 404, a collection INVALID_TYPE', async () => {
    const { sim, accessToken } = await start();
    expect((await call(sim, accessToken, 'GET', '/sobjects/Missing__e/describe')).status).toBe(404);
    expect((await call(sim, accessToken, 'POST', '/sobjects/Missing__e', { Cart_Id__c: 'a' })).status).toBe(404);
    const collection = await call(sim, accessToken, 'POST', '/composite/sobjects', { records: [event({}, 'Missing__e')] });
    expect([collection.status, (collection.body as Array<{ errorCode: string }>)[0]?.errorCode]).toEqual([400, 'INVALID_TYPE']);
  });

  it('describes an event with its custom fields and the platform\'s read-only ones', async () => {
    const { sim, accessToken } = await start();
    const answer = await call(sim, accessToken, 'GET', `/sobjects/${EVENT}/describe`);
    const fields = (answer.body as { fields: Array<{ name: string; createable: boolean }> }).fields;
    expect(fields.filter((field) => field.createable).map((field) => field.name)).toEqual(['Cart_Id__c', 'Cart_Value__c', 'Segflow_Action_Id__c']);
    expect(fields.find((field) => field.name === 'ReplayId')?.createable).toBe(false);
  });

  it('answers LIMIT_EXCEEDED per event past the hourly publish allocation', async () => {
    const { sim, accessToken } = await start({ limits: { hourlyPublishAllocation: 2 } });
    const answer = await call(sim, accessToken, 'POST', '/composite/sobjects', { records: [event({ Cart_Id__c: 'a' }), event({ Cart_Id__c: 'b' }), event({ Cart_Id__c: 'c' })] });
    expect((answer.body as Array<{ success: boolean; errors: Array<{ statusCode: string }> }>).map((result) => (result.success ? 'ok' : result.errors[0]?.statusCode))).toEqual(['ok', 'ok', 'LIMIT_EXCEEDED']);
    expect(sim.publishedEvents(EVENT)).toHaveLength(2);
  });

  it('publishes and then drops the connection when a response is to be lost', async () => {
    const { sim, accessToken } = await start();
    sim.view.setFaults({ lostResponses: 1 });
    await expect(call(sim, accessToken, 'POST', `/sobjects/${EVENT}`, { Cart_Id__c: 'a' })).rejects.toThrow();
    expect(sim.publishedEvents(EVENT)).toHaveLength(1);
    expect((await call(sim, accessToken, 'POST', `/sobjects/${EVENT}`, { Cart_Id__c: 'a' })).status).toBe(201);
    expect(sim.publishedEvents(EVENT)).toHaveLength(2);
  });
});
