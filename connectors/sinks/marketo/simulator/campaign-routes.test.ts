import { afterEach, describe, expect, it } from 'vitest';
import { startMarketoSimulator, type MarketoSimulatorOptions, type RunningMarketoSimulator } from './marketo-simulator.js';

/** Raw HTTP against the simulator's campaign and activity routes: what Marketo refuses, seen from the wire. */
const running: RunningMarketoSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((simulator) => simulator.stop()));
});

const CAMPAIGNS: MarketoSimulatorOptions['campaigns'] = [
  { id: 7001, name: 'Welcome flow' },
  { id: 7002, name: 'Monthly blast', type: 'batch' },
  { id: 7003, name: 'No API trigger', requestable: false },
];

async function start(options: Partial<MarketoSimulatorOptions> = {}): Promise<RunningMarketoSimulator> {
  const simulator = await startMarketoSimulator({ seed: 9, campaigns: CAMPAIGNS, ...options });
  running.push(simulator);
  return simulator;
}

interface Envelope {
  success: boolean;
  result?: Array<Record<string, unknown>>;
  errors?: Array<{ code: string; message: string }>;
  moreResult?: boolean;
  nextPageToken?: string;
}

async function session(simulator: RunningMarketoSimulator) {
  const issued = await fetch(`${simulator.url}/identity/oauth/token?grant_type=client_credentials&client_id=segflow-sandbox-client&client_secret=segflow-sandbox-secret`);
  const { access_token: token } = (await issued.json()) as { access_token: string };
  return async (method: string, path: string, json?: unknown): Promise<Envelope> => {
    const response = await fetch(`${simulator.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Envelope;
  };
}

async function leadIds(call: Awaited<ReturnType<typeof session>>, count: number): Promise<number[]> {
  const created = await call('POST', '/rest/v1/leads.json', { input: Array.from({ length: count }, (_, index) => ({ email: `lead${index}@example.com` })) });
  return (created.result ?? []).map((record) => record.id as number);
}

const refusal = (envelope: Envelope) => ({ success: envelope.success, code: envelope.errors?.[0]?.code, message: envelope.errors?.[0]?.message });
const trigger = (leads: number[], tokens: Array<{ name: string; value: unknown }> = []) => ({ input: { leads: leads.map((id) => ({ id })), tokens } });

describe('Marketo simulator: campaigns', () => {
  it('finds campaigns by name or id, and reports isActive / isRequestable on the Asset API record', async () => {
    const simulator = await start();
    const call = await session(simulator);
    expect((await call('GET', '/rest/v1/campaigns.json?name=Welcome%20flow')).result).toEqual([expect.objectContaining({ id: 7001, name: 'Welcome flow', type: 'trigger', active: true })]);
    expect((await call('GET', '/rest/v1/campaigns.json?id=7002,7003')).result?.map((campaign) => campaign.id)).toEqual([7002, 7003]);
    expect((await call('GET', '/rest/v1/campaigns.json?isTriggerable=true')).result?.map((campaign) => campaign.id)).toEqual([7001]);
    expect((await call('GET', '/rest/asset/v1/smartCampaign/7003.json')).result?.[0]).toMatchObject({ isActive: true, isRequestable: false, type: 'trigger' });
    expect((await call('GET', '/rest/asset/v1/smartCampaign/9999.json')).result).toEqual([]);
  });

  it('records one "Request Campaign" activity per lead with the call tokens', async () => {
    const simulator = await start();
    const call = await session(simulator);
    const ids = await leadIds(call, 2);
    const accepted = await call('POST', '/rest/v1/campaigns/7001/trigger.json', trigger(ids, [{ name: '{{my.plan}}', value: 'pro' }]));
    expect(accepted).toMatchObject({ success: true, result: [{ id: 7001 }] });
    expect(simulator.view.campaignRequests().map(({ leadId, campaignId, tokens }) => ({ leadId, campaignId, tokens }))).toEqual(ids.map((leadId) => ({ leadId, campaignId: 7001, tokens: { '{{my.plan}}': 'pro' } })));
  });

  it('refuses, with HTTP 200 and success:false, what Marketo refuses, and records nothing', async () => {
    const simulator = await start();
    const call = await session(simulator);
    const ids = await leadIds(call, 101);
    const tooManyTokens = Array.from({ length: 101 }, (_, index) => ({ name: `{{my.t${index}}}`, value: 'x' }));
    expect(refusal(await call('POST', '/rest/v1/campaigns/7001/trigger.json', trigger(ids)))).toMatchObject({ success: false, code: '1003', message: expect.stringContaining('at most 100') as string });
    expect(refusal(await call('POST', '/rest/v1/campaigns/7001/trigger.json', trigger(ids.slice(0, 1), tooManyTokens)))).toMatchObject({ code: '1003', message: expect.stringContaining('tokens has 101') as string });
    expect(refusal(await call('POST', '/rest/v1/campaigns/7001/trigger.json', trigger(ids.slice(0, 1), [{ name: 'plan', value: 'pro' }])))).toMatchObject({ code: '1003', message: expect.stringContaining('{{my.name}}') as string });
    expect(refusal(await call('POST', '/rest/v1/campaigns/7001/trigger.json', trigger(ids.slice(0, 1), [{ name: '{{my.plan}}', value: 3 }])))).toMatchObject({ code: '1003' });
    expect(refusal(await call('POST', '/rest/v1/campaigns/9999/trigger.json', trigger(ids.slice(0, 1))))).toMatchObject({ code: '1013' });
    expect(refusal(await call('POST', '/rest/v1/campaigns/7002/trigger.json', trigger(ids.slice(0, 1))))).toMatchObject({ code: '1003', message: expect.stringContaining('batch campaign') as string });
    expect(refusal(await call('POST', '/rest/v1/campaigns/7003/trigger.json', trigger(ids.slice(0, 1))))).toMatchObject({ code: '1003', message: expect.stringContaining('Web Service API') as string });
    expect(refusal(await call('POST', '/rest/v1/campaigns/7001/trigger.json', trigger([ids[0] ?? 0, 424242])))).toMatchObject({ code: '1004', message: expect.stringContaining('424242') as string });
    expect(simulator.view.campaignRequests()).toEqual([]);
  });

  it('counts trigger calls against the daily quota like every other call', async () => {
    const simulator = await start({ limits: { dailyQuota: 3 } });
    const call = await session(simulator);
    const ids = await leadIds(call, 1);
    expect((await call('POST', '/rest/v1/campaigns/7001/trigger.json', trigger(ids))).success).toBe(true);
    expect((await call('POST', '/rest/v1/campaigns/7001/trigger.json', trigger(ids))).success).toBe(true);
    expect(refusal(await call('POST', '/rest/v1/campaigns/7001/trigger.json', trigger(ids)))).toMatchObject({ code: '607' });
    expect(simulator.view.campaignRequests()).toHaveLength(2);
  });

  it('applies a trigger call and then drops the connection when told to lose its answer (lostResponses)', async () => {
    const simulator = await start();
    const call = await session(simulator);
    const ids = await leadIds(call, 1);
    simulator.view.setFaults({ lostResponses: 1 });
    await expect(call('POST', '/rest/v1/campaigns/7001/trigger.json', trigger(ids))).rejects.toThrow(TypeError);
    expect(simulator.view.campaignRequests()).toHaveLength(1);
    expect((await call('POST', '/rest/v1/campaigns/7001/trigger.json', trigger(ids))).success).toBe(true);
    expect(simulator.view.campaignRequests()).toHaveLength(2);
  });
});

describe('Marketo simulator: activities', () => {
  it('pages "Request Campaign" activities since a paging token, filtered by lead, and refuses more than 30 lead ids', async () => {
    let clock = Date.parse('2026-11-25T12:00:00Z');
    const simulator = await start({ now: () => clock });
    const call = await session(simulator);
    const ids = await leadIds(call, 3);
    await call('POST', '/rest/v1/campaigns/7001/trigger.json', trigger(ids.slice(0, 1)));
    clock += 40 * 60_000;
    await call('POST', '/rest/v1/campaigns/7001/trigger.json', trigger(ids));
    const types = await call('GET', '/rest/v1/activities/types.json');
    const typeId = types.result?.find((type) => type.name === 'Request Campaign')?.id as number;

    const since = await call('GET', `/rest/v1/activities/pagingtoken.json?sinceDatetime=${encodeURIComponent('2026-11-25T12:20:00Z')}`);
    const firstPage = await call('GET', `/rest/v1/activities.json?nextPageToken=${since.nextPageToken ?? ''}&activityTypeIds=${typeId}&leadIds=${ids.slice(0, 2).join(',')}&batchSize=1`);
    expect(firstPage).toMatchObject({ success: true, moreResult: true, result: [{ leadId: ids[0], activityTypeId: typeId, primaryAttributeValueId: 7001 }] });
    const secondPage = await call('GET', `/rest/v1/activities.json?nextPageToken=${firstPage.nextPageToken ?? ''}&activityTypeIds=${typeId}&leadIds=${ids.slice(0, 2).join(',')}&batchSize=1`);
    expect(secondPage).toMatchObject({ moreResult: false, result: [{ leadId: ids[1] }] });

    const tooMany = Array.from({ length: 31 }, (_, index) => index + 1).join(',');
    expect(refusal(await call('GET', `/rest/v1/activities.json?nextPageToken=${since.nextPageToken ?? ''}&activityTypeIds=${typeId}&leadIds=${tooMany}`))).toMatchObject({ code: '1003' });
  });
});
