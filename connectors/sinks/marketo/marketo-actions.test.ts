import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import { recordingContext } from '../../../core/sync/recording-context.test-support.js';
import type { ActionCapability, ChangeResult, PropertyValue, Sink, SinkAction, SinkChange } from '../../../core/sync/sink.js';
import { createMarketoSink, type MarketoSinkOptions } from './marketo-sink.js';
import type { CampaignSpec } from './simulator/campaign-store.js';
import { startMarketoSimulator, type RunningMarketoSimulator } from './simulator/marketo-simulator.js';

const running: RunningMarketoSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((simulator) => simulator.stop()));
});

const WELCOME: CampaignSpec = { id: 5001, name: 'Welcome flow' };
const CAMPAIGNS: CampaignSpec[] = [
  WELCOME,
  { id: 5002, name: 'Newsletter blast', type: 'batch', active: false, requestable: false },
  { id: 5003, name: 'Not wired to the API', requestable: false },
  { id: 5004, name: 'Paused flow', active: false },
  { id: 5005, name: 'Twin' },
  { id: 5006, name: 'Twin' },
];

// A higher tier than the published 100 calls / 20 s so the runs are not paced.
async function start(): Promise<RunningMarketoSimulator> {
  const simulator = await startMarketoSimulator({ seed: 5, limits: { requests: 10_000 }, campaigns: CAMPAIGNS });
  running.push(simulator);
  return simulator;
}

const email = (index: number) => `user${index}@example.com`;

/** Creates leads 0..count-1 through the sink and returns their Marketo ids. */
async function seedLeads(sink: Sink, count: number): Promise<string[]> {
  const changes: SinkChange[] = Array.from({ length: count }, (_, index) => ({ op: 'upsert', record: { profileId: `u:${index}`, key: email(index) }, properties: {} }));
  const ids: string[] = [];
  for (let start = 0; start < changes.length; start += 300) {
    const results = await sink.apply({ op: 'upsert', changes: changes.slice(start, start + 300) }, recordingContext());
    ids.push(...results.map((result) => (result.status === 'applied' ? (result.vendorId ?? '') : '')));
  }
  return ids;
}

function campaignAction(index: number, properties: Record<string, PropertyValue>, options: { vendorId?: string; target?: string; kind?: string; key?: string } = {}): SinkAction {
  return {
    id: `${(options.kind ?? 'marketo:campaign').slice(8, 11)}${String(index).padStart(19, '0')}`,
    kind: options.kind ?? 'marketo:campaign',
    target: options.target ?? WELCOME.name,
    record: { profileId: `u:${index}`, key: options.key ?? email(index), ...(options.vendorId ? { vendorId: options.vendorId } : {}) },
    occurredAt: '2026-12-01T10:00:00Z',
    properties,
  };
}

async function sinkFor(simulator: RunningMarketoSimulator, options: MarketoSinkOptions = {}): Promise<{ sink: Sink; actions: ActionCapability }> {
  const sink = createMarketoSink(simulator.sinkConfig, options);
  await sink.prepare({ properties: [], lists: [] }, recordingContext());
  if (!sink.actions) throw new Error('the Marketo sink has no actions');
  return { sink, actions: sink.actions };
}

async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

const statuses = (results: readonly ChangeResult[]) => results.map((result) => result.status);

describe('Marketo trigger actions: Request Campaign', () => {
  it('declares both kinds, and runs each lead once through the campaign with its payload as {{my.…}} tokens', async () => {
    const simulator = await start();
    const { sink, actions } = await sinkFor(simulator);
    expect(sink.capabilities().triggerKinds).toEqual(['marketo:campaign', 'marketo:list-add']);
    expect(actions.kinds).toEqual(sink.capabilities().triggerKinds);
    const ids = await seedLeads(sink, 3);
    const payload = { plan: 'pro', seats: 12, trial: true, coupon: null };
    // Lead 2 has no acknowledged id yet: the sink finds it by email.
    const batch = [campaignAction(0, payload, { vendorId: ids[0] }), campaignAction(1, payload, { vendorId: ids[1] }), campaignAction(2, payload)];
    const context = recordingContext();
    await actions.prepare?.([{ kind: 'marketo:campaign', target: WELCOME.name, fields: Object.keys(payload) }], context);

    const results = await actions.deliver(batch, context);

    expect(results).toEqual(ids.map((id) => ({ status: 'applied', vendorId: id })));
    const requests = simulator.view.campaignRequests();
    expect(requests.map((request) => String(request.leadId)).sort()).toEqual([...ids].sort());
    expect(requests.every((request) => request.campaignId === WELCOME.id)).toBe(true);
    expect(requests[0]?.tokens).toEqual({ '{{my.coupon}}': '', '{{my.plan}}': 'pro', '{{my.seats}}': '12', '{{my.trial}}': 'true' });
    expect(context.labels.filter((label) => label === 'marketo.campaigns.trigger')).toHaveLength(1);
  });

  it('sends actions with different tokens in different calls, one result per action in order', async () => {
    const simulator = await start();
    const { sink, actions } = await sinkFor(simulator);
    const ids = await seedLeads(sink, 4);
    const batch = ids.map((id, index) => campaignAction(index, { plan: index % 2 === 0 ? 'pro' : 'free' }, { vendorId: id }));

    const results = await actions.deliver(batch, recordingContext());

    expect(results).toEqual(ids.map((id) => ({ status: 'applied', vendorId: id })));
    expect(simulator.view.stats().byRoute['campaigns.trigger']).toBe(2);
    const planByLead = new Map(simulator.view.campaignRequests().map((request) => [String(request.leadId), request.tokens['{{my.plan}}']]));
    expect(ids.map((id) => planByLead.get(id))).toEqual(['pro', 'free', 'pro', 'free']);
    const byRequest = new Map<string, Set<string | undefined>>();
    for (const request of simulator.view.campaignRequests()) byRequest.set(request.requestId, (byRequest.get(request.requestId) ?? new Set()).add(request.tokens['{{my.plan}}']));
    expect([...byRequest.values()].every((plans) => plans.size === 1)).toBe(true);
  });

  it('splits more than 100 leads into calls of at most 100', async () => {
    const simulator = await start();
    const { sink, actions } = await sinkFor(simulator);
    const ids = await seedLeads(sink, 250);
    const results = await actions.deliver(ids.map((id, index) => campaignAction(index, { plan: 'pro' }, { vendorId: id })), recordingContext());

    expect(statuses(results).every((status) => status === 'applied')).toBe(true);
    expect(simulator.view.stats().byRoute['campaigns.trigger']).toBe(3);
    const perCall = new Map<string, number>();
    for (const request of simulator.view.campaignRequests()) perCall.set(request.requestId, (perCall.get(request.requestId) ?? 0) + 1);
    expect([...perCall.values()].sort((a, b) => b - a)).toEqual([100, 100, 50]);
    expect(new Set(simulator.view.campaignRequests().map((request) => request.leadId)).size).toBe(250);
  });

  it('skips a lead Marketo does not have, by email or by a stale id, and still runs the others', async () => {
    const simulator = await start();
    const { sink, actions } = await sinkFor(simulator);
    const ids = await seedLeads(sink, 2);
    await sink.apply({ op: 'delete', changes: [{ op: 'delete', record: { profileId: 'u:1', key: email(1), vendorId: ids[1] } }] }, recordingContext());
    const batch = [campaignAction(0, { plan: 'pro' }, { vendorId: ids[0] }), campaignAction(1, { plan: 'pro' }, { vendorId: ids[1] }), campaignAction(7, { plan: 'pro' })];

    const results = await actions.deliver(batch, recordingContext());

    expect(results).toEqual([{ status: 'applied', vendorId: ids[0] }, { status: 'skipped', reason: 'no such lead' }, { status: 'skipped', reason: 'no such lead' }]);
    expect(simulator.view.campaignRequests().map((request) => String(request.leadId))).toEqual([ids[0]]);
  });

  it('refuses, at prepare, campaigns that are missing, batch, not requestable, inactive or ambiguous, saying what to fix', async () => {
    const simulator = await start();
    const { actions } = await sinkFor(simulator);
    const prepare = (target: string) => failureOf(actions.prepare?.([{ kind: 'marketo:campaign', target, fields: [] }], recordingContext()) ?? Promise.resolve());
    expect(await prepare('No such flow')).toMatchObject({ kind: 'config', code: 'marketo.campaign_not_found', message: expect.stringContaining('No such flow') as string });
    expect(await prepare('5002')).toMatchObject({ kind: 'config', message: expect.stringContaining('batch campaign') as string });
    expect(await prepare('Not wired to the API')).toMatchObject({ kind: 'config', message: expect.stringContaining('"Campaign is Requested" trigger with source "Web Service API"') as string });
    expect(await prepare('Paused flow')).toMatchObject({ kind: 'config', code: 'marketo.campaign_inactive' });
    expect(await prepare('Twin')).toMatchObject({ kind: 'config', code: 'marketo.campaign_ambiguous', message: expect.stringContaining('5005, 5006') as string });
    await expect(actions.prepare?.([{ kind: 'marketo:campaign', target: '5001', fields: [] }], recordingContext())).resolves.toBeUndefined();
  });

  it('turns Marketo refusing the call (a campaign deactivated after prepare) into a permanent failure that names the reason', async () => {
    const simulator = await start();
    const { sink, actions } = await sinkFor(simulator);
    const ids = await seedLeads(sink, 2);
    await actions.prepare?.([{ kind: 'marketo:campaign', target: WELCOME.name, fields: ['plan'] }], recordingContext());
    simulator.view.defineCampaign({ ...WELCOME, active: false });

    const error = await failureOf(actions.deliver(ids.map((id, index) => campaignAction(index, { plan: 'pro' }, { vendorId: id })), recordingContext()));

    expect(error).toMatchObject({ kind: 'permanent', code: 'marketo.invalid_value' });
    expect(error.message).toContain('Welcome flow');
    expect(error.message).toContain('is not active');
    expect(simulator.view.campaignRequests()).toHaveLength(0);
  });

  it('fails one action whose payload cannot be tokens, without failing its neighbours', async () => {
    const simulator = await start();
    const { sink, actions } = await sinkFor(simulator);
    const ids = await seedLeads(sink, 2);
    const tooMany = Object.fromEntries(Array.from({ length: 101 }, (_, index) => [`field${index}`, index]));
    const results = await actions.deliver([campaignAction(0, tooMany, { vendorId: ids[0] }), campaignAction(1, { plan: 'pro' }, { vendorId: ids[1] })], recordingContext());
    expect(results[0]).toMatchObject({ status: 'failed', error: { kind: 'permanent', message: expect.stringContaining('at most 100 tokens') as string } });
    expect(results[1]).toEqual({ status: 'applied', vendorId: ids[1] });
  });
});

describe('Marketo Request Campaign when an answer is lost (no idempotency key)', () => {
  it('a retry after a lost answer reads the activity log, finds the request landed, and sends nothing twice', async () => {
    const simulator = await start();
    const { sink, actions } = await sinkFor(simulator);
    const ids = await seedLeads(sink, 3);
    const batch = ids.map((id, index) => campaignAction(index, { plan: 'pro' }, { vendorId: id }));
    simulator.view.setFaults({ lostResponses: 1 });

    const lost = await failureOf(actions.deliver(batch, recordingContext()));
    expect(lost).toMatchObject({ kind: 'retryable', code: 'marketo.network_error' });
    expect(simulator.view.campaignRequests()).toHaveLength(3);

    const retried = await actions.deliver(batch, recordingContext());

    expect(retried).toEqual(ids.map((id) => ({ status: 'applied', vendorId: id })));
    expect(simulator.view.campaignRequests()).toHaveLength(3);
    expect(simulator.view.stats().byRoute['campaigns.trigger']).toBe(1);
    expect(simulator.view.stats().byRoute['activities.get']).toBe(1);
  });

  it('re-sends, once, a request that failed on the network before it reached Marketo', async () => {
    const simulator = await start();
    let dropNextTrigger = true;
    const flakyFetch: typeof fetch = (input, init) => {
      if (dropNextTrigger && String(input).includes('/trigger.json')) {
        dropNextTrigger = false;
        return Promise.reject(new TypeError('fetch failed'));
      }
      return fetch(input, init);
    };
    const { sink, actions } = await sinkFor(simulator, { fetch: flakyFetch });
    const ids = await seedLeads(sink, 2);
    const batch = ids.map((id, index) => campaignAction(index, { plan: 'pro' }, { vendorId: id }));

    await failureOf(actions.deliver(batch, recordingContext()));
    expect(simulator.view.campaignRequests()).toHaveLength(0);
    const retried = await actions.deliver(batch, recordingContext());

    expect(statuses(retried)).toEqual(['applied', 'applied']);
    expect(simulator.view.campaignRequests().map((request) => String(request.leadId)).sort()).toEqual([...ids].sort());
    expect(simulator.view.stats().byRoute['activities.get']).toBe(1);
  });

  it('does not look at the activity log when the first attempt was clearly refused (rate limited)', async () => {
    const simulator = await start();
    const { sink, actions } = await sinkFor(simulator);
    const ids = await seedLeads(sink, 1);
    const batch = [campaignAction(0, { plan: 'pro' }, { vendorId: ids[0] })];
    simulator.view.setFaults({ throttleUntil: Date.now() + 60_000 });
    expect(await failureOf(actions.deliver(batch, recordingContext()))).toMatchObject({ kind: 'retryable', details: { throttled: true } });
    simulator.view.setFaults({});

    await actions.deliver(batch, recordingContext());

    expect(simulator.view.campaignRequests()).toHaveLength(1);
    expect(simulator.view.stats().byRoute['activities.get']).toBeUndefined();
  });

  it('is at-least-once across a restart: a new sink instance does not know the lost answer and sends again', async () => {
    const simulator = await start();
    const first = await sinkFor(simulator);
    const ids = await seedLeads(first.sink, 1);
    const batch = [campaignAction(0, { plan: 'pro' }, { vendorId: ids[0] })];
    simulator.view.setFaults({ lostResponses: 1 });
    await failureOf(first.actions.deliver(batch, recordingContext()));

    const restarted = await sinkFor(simulator);
    await restarted.actions.deliver(batch, recordingContext());

    expect(simulator.view.campaignRequests()).toHaveLength(2);
  });
});

describe('Marketo trigger actions: static list add', () => {
  it('adds leads to the named static list (creating it at prepare), skips unknown leads, and keeps mixed batches in order', async () => {
    const simulator = await start();
    const { sink, actions } = await sinkFor(simulator);
    const ids = await seedLeads(sink, 2);
    await actions.prepare?.([{ kind: 'marketo:list-add', target: 'segflow: trial started', fields: [] }], recordingContext());
    const batch = [
      campaignAction(0, {}, { kind: 'marketo:list-add', target: 'segflow: trial started', vendorId: ids[0] }),
      campaignAction(1, { plan: 'pro' }, { vendorId: ids[1] }),
      campaignAction(1, {}, { kind: 'marketo:list-add', target: 'segflow: trial started' }),
      campaignAction(9, {}, { kind: 'marketo:list-add', target: 'segflow: trial started' }),
    ];

    const results = await actions.deliver(batch, recordingContext());

    expect(statuses(results)).toEqual(['applied', 'applied', 'applied', 'skipped']);
    expect(results[3]).toEqual({ status: 'skipped', reason: 'no such lead' });
    expect(simulator.view.listMembers('segflow: trial started')).toEqual(new Set([email(0), email(1)]));
    expect(simulator.view.campaignRequests()).toHaveLength(1);
  });
});
