import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import { recordingContext } from '../../../core/sync/recording-context.test-support.js';
import { decideRetry, DEFAULT_RETRY_POLICY } from '../../../core/sync/delivery/retry-policy.js';
import type { ActionCapability, ChangeResult, Sink, SinkAction } from '../../../core/sync/sink.js';
import { harness } from './harness.js';
import { publishOutcome } from './platform-event-publish.js';
import { errorFromCall } from './salesforce-errors.js';
import { createSalesforceSink } from './salesforce-sink.js';
import { startSalesforceSimulator, type PlatformEventFieldSpec, type SalesforceSimulator } from './simulator/index.js';

const EVENT = 'Cart_Abandoned__e';
const KIND = 'salesforce:platform-event';
const EVENT_FIELDS: PlatformEventFieldSpec[] = [{ name: 'Cart_Id__c' }, { name: 'Cart_Value__c', type: 'double' }, { name: 'Segflow_Action_Id__c' }];
const TARGETS = [{ kind: KIND, target: EVENT, fields: ['Cart_Id__c', 'Cart_Value__c'] }];

let running: { stop(): Promise<void> } | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

interface Setup {
  sim: SalesforceSimulator;
  sink: Sink;
  actions: ActionCapability;
  context: ReturnType<typeof recordingContext>;
}

async function setup(options: { events?: Record<string, PlatformEventFieldSpec[]>; hourlyPublishAllocation?: number; prepare?: boolean } = {}): Promise<Setup> {
  const sim = await startSalesforceSimulator({
    seed: 5,
    limits: { latencyMs: 1, ...(options.hourlyPublishAllocation ? { hourlyPublishAllocation: options.hourlyPublishAllocation } : {}) },
    platformEvents: options.events ?? { [EVENT]: EVENT_FIELDS },
  });
  running = sim;
  const sink = createSalesforceSink({ type: 'salesforce', login_url: sim.url, client_id: sim.clientId, client_secret: sim.clientSecret, bulk_threshold: null });
  const context = recordingContext(Date.now, { concurrency: 10 });
  if (!sink.actions) throw new Error('the Salesforce sink has no actions');
  if (options.prepare !== false) await sink.actions.prepare?.(TARGETS, context);
  return { sim, sink, actions: sink.actions, context };
}

/** Action ids are 22 base64url characters, derived from what caused them. */
const action = (index: number, properties: SinkAction['properties'] = { Cart_Id__c: `cart-${index}`, Cart_Value__c: index * 10 }): SinkAction => ({
  id: `act${String(index).padStart(19, '0')}`,
  kind: KIND,
  target: EVENT,
  record: { profileId: `u:${index}`, key: `u:${index}` },
  occurredAt: '2026-12-03T10:00:00.000Z',
  properties,
});
const range = (count: number) => Array.from({ length: count }, (_, index) => index);
const statuses = (results: ChangeResult[]) => results.map((result) => (result.status === 'failed' ? `failed: ${result.error.code}` : result.status));

describe('Salesforce sink: Platform Event actions', () => {
  it('declares the action kinds in its capabilities', async () => {
    const { sink } = await setup({ prepare: false });
    expect(sink.capabilities().triggerKinds).toEqual(['salesforce:platform-event', 'salesforce:campaign-add']);
    expect(sink.actions?.kinds).toEqual(sink.capabilities().triggerKinds);
    expect(sink.actions?.maxBatch).toBe(200);
  });

  it('publishes each action once, with its payload fields and the action id, 200 per collections call', async () => {
    const { sim, actions, context } = await setup();
    const sent = range(250).map((index) => action(index));
    const results = await actions.deliver(sent, context);
    expect(results.every((result) => result.status === 'applied')).toBe(true);
    const events = sim.publishedEvents(EVENT);
    expect(events).toHaveLength(250);
    expect(new Set(events.map((published) => published.fields.Segflow_Action_Id__c)).size).toBe(250);
    expect(events.find((published) => published.fields.Segflow_Action_Id__c === sent[7]?.id)?.fields).toEqual({ Cart_Id__c: 'cart-7', Cart_Value__c: 70, Segflow_Action_Id__c: sent[7]?.id });
    expect(sim.view.stats().byRoute['platform-event.publish-collection']).toBe(2);
  });

  it('reads success:true with an OPERATION_ENQUEUED "error" as applied, and success:false as failed', () => {
    const enqueued = { id: 'e01xx0000000001AAA', success: true, errors: [{ statusCode: 'OPERATION_ENQUEUED', message: '232fd30e-0a71-42bd-a97b-be0e329b2ded', fields: [] }] };
    expect(publishOutcome(enqueued, 'event')).toEqual({ status: 'applied' });
    const refused = publishOutcome({ success: false, errors: [{ statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD', message: 'Cart_Value__c: value not of required type', fields: ['Cart_Value__c'] }] }, 'event');
    expect(refused.status === 'failed' && [refused.error.kind, refused.error.message.includes('Cart_Value__c')]).toEqual(['permanent', true]);
  });

  it('after a lost answer, the retry publishes again: two events with the same action id, for the subscriber to dedupe', async () => {
    const { sim, actions, context } = await setup();
    const sent = range(3).map((index) => action(index));
    sim.view.setFaults({ lostResponses: 1 });
    const lost = await actions.deliver(sent, context).catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(ConnectorError);
    expect([(lost as ConnectorError).kind, (lost as ConnectorError).code]).toEqual(['retryable', 'salesforce.network']);
    // Salesforce took the events before the answer was lost.
    expect(sim.publishedEvents(EVENT)).toHaveLength(3);

    expect(statuses(await actions.deliver(sent, context))).toEqual(['applied', 'applied', 'applied']);
    // Platform Events have no idempotency key: at-least-once, and the dedupe key is identical on both copies.
    const events = sim.publishedEvents(EVENT);
    expect(events).toHaveLength(6);
    for (const sentAction of sent) {
      const copies = events.filter((published) => published.fields.Segflow_Action_Id__c === sentAction.id);
      expect(copies).toHaveLength(2);
      expect(copies[0]?.fields).toEqual(copies[1]?.fields);
      expect(copies[0]?.replayId).not.toBe(copies[1]?.replayId);
    }
  });

  it('fails only the action whose payload names a field the event lacks, naming the field (prepared: no call for it)', async () => {
    const { sim, actions, context } = await setup();
    const results = await actions.deliver([action(1), action(2, { Cart_Id__c: 'c', Coupon__c: 'X10' }), action(3)], context);
    expect(statuses(results)).toEqual(['applied', 'failed: salesforce.invalid_field', 'applied']);
    const refused = results[1];
    expect(refused?.status === 'failed' && [refused.error.kind, /Coupon__c/.test(refused.error.message), /Setup → Platform Events/.test(refused.error.message)]).toEqual(['permanent', true, true]);
    expect(sim.publishedEvents(EVENT).map((published) => published.fields.Cart_Id__c)).toEqual(['cart-1', 'cart-3']);
    expect(sim.view.stats().byRoute['platform-event.publish-collection']).toBe(1);
  });

  it('unprepared, turns Salesforce\'s whole-call INVALID_FIELD into a failure of the actions carrying the field, and publishes the others once', async () => {
    const { sim, actions, context } = await setup({ prepare: false });
    const results = await actions.deliver([action(1), action(2, { Cart_Id__c: 'c', Coupon__c: 'X10' }), action(3)], context);
    expect(statuses(results)).toEqual(['applied', 'failed: salesforce.invalid_field', 'applied']);
    expect(results[1]?.status === 'failed' && results[1].error.message).toMatch(/Cart_Abandoned__e has no field Coupon__c/);
    expect(sim.publishedEvents(EVENT)).toHaveLength(2);
    // One refused call naming the field, one call with the other two.
    expect(sim.view.stats().byRoute['platform-event.publish-collection']).toBe(2);
  });

  it('fails every action for an event the org does not have, naming the event', async () => {
    const { actions, context } = await setup({ prepare: false });
    const results = await actions.deliver([{ ...action(1), target: 'Missing__e' }], context);
    expect(results[0]?.status === 'failed' && [results[0].error.kind, /Missing__e does not exist/.test(results[0].error.message)]).toEqual(['permanent', true]);
  });

  it('past the hourly publish allocation, fails the rest as a throttle that stops the run (the outbox keeps them)', async () => {
    const { sim, actions, context } = await setup({ hourlyPublishAllocation: 2 });
    const results = await actions.deliver(range(4).map((index) => action(index)), context);
    expect(statuses(results)).toEqual(['applied', 'applied', 'failed: salesforce.LIMIT_EXCEEDED', 'failed: salesforce.LIMIT_EXCEEDED']);
    const limited = results[2];
    if (limited?.status !== 'failed') throw new Error('expected a failure');
    expect([limited.error.kind, limited.error.details.throttled, limited.error.details.retryAfterMs]).toEqual(['retryable', true, 15 * 60_000]);
    expect(decideRetry(limited.error, 1, DEFAULT_RETRY_POLICY, () => 0.5).action).toBe('stop-run');
    expect(sim.publishedEvents(EVENT)).toHaveLength(2);
  });

  it('retries PLATFORM_EVENT_PUBLISHING_UNAVAILABLE, and the retry publishes each event once', async () => {
    const { sim, actions, context } = await setup();
    sim.makePublishingUnavailable(1);
    const first = await actions.deliver([action(1), action(2)], context);
    expect(first.map((result) => result.status === 'failed' && result.error.kind)).toEqual(['retryable', 'retryable']);
    expect(sim.publishedEvents(EVENT)).toHaveLength(0);
    expect(statuses(await actions.deliver([action(1), action(2)], context))).toEqual(['applied', 'applied']);
    expect(sim.publishedEvents(EVENT)).toHaveLength(2);
  });
});

describe('Salesforce sink: preparing Platform Event targets', () => {
  it('names a missing event with the fields to create in Setup, as a config error', async () => {
    const { actions, context } = await setup({ events: {}, prepare: false });
    const error = await actions.prepare?.(TARGETS, context).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).kind).toBe('config');
    expect((error as ConnectorError).message).toMatch(/Cart_Abandoned__e does not exist .*Setup → Platform Events with the fields Cart_Id__c, Cart_Value__c, Segflow_Action_Id__c/);
    expect((error as ConnectorError).message).toMatch(/cannot create Platform Events/);
  });

  it('names every field the event lacks, the action id field included', async () => {
    const { actions, context } = await setup({ events: { [EVENT]: [{ name: 'Cart_Id__c' }] }, prepare: false });
    const error = (await actions.prepare?.(TARGETS, context).catch((failure: unknown) => failure)) as ConnectorError;
    expect(error.message).toMatch(/Cart_Abandoned__e lacks the field\(s\) Cart_Value__c, Segflow_Action_Id__c/);
  });

  it('refuses a target that is not a Platform Event API name', async () => {
    const { actions, context } = await setup({ prepare: false });
    const error = (await actions.prepare?.([{ kind: KIND, target: 'Contact', fields: [] }], context).catch((failure: unknown) => failure)) as ConnectorError;
    expect(error.message).toMatch(/"Contact" is not a Platform Event API name/);
  });

  it('uses the configured action id field', async () => {
    const sim = await startSalesforceSimulator({ seed: 5, limits: { latencyMs: 1 }, platformEvents: { [EVENT]: [{ name: 'Cart_Id__c' }, { name: 'Dedupe_Key__c' }] } });
    running = sim;
    const sink = createSalesforceSink({ type: 'salesforce', login_url: sim.url, client_id: sim.clientId, client_secret: sim.clientSecret, action_id_field: 'Dedupe_Key__c' });
    const context = recordingContext();
    await sink.actions?.prepare?.([{ kind: KIND, target: EVENT, fields: ['Cart_Id__c'] }], context);
    await sink.actions?.deliver([action(1, { Cart_Id__c: 'c' })], context);
    expect(sim.publishedEvents(EVENT)[0]?.fields).toEqual({ Cart_Id__c: 'c', Dedupe_Key__c: action(1).id });
  });
});

describe('Salesforce Platform Events: errors and the harness', () => {
  it('maps a whole-call LIMIT_EXCEEDED (single-record publish) like the per-event one, and PUBLISHING_UNAVAILABLE as a short retry', () => {
    const limited = errorFromCall(Object.assign(new Error('hourly limit'), { errorCode: 'LIMIT_EXCEEDED' }), 400, 'publishing 1 Cart_Abandoned__e Platform Events');
    expect([limited.kind, limited.details.throttled, limited.details.retryAfterMs]).toEqual(['retryable', true, 15 * 60_000]);
    const unavailable = errorFromCall(Object.assign(new Error('try later'), { errorCode: 'PLATFORM_EVENT_PUBLISHING_UNAVAILABLE' }), 400, 'publishing');
    expect([unavailable.kind, unavailable.details.throttled]).toEqual(['retryable', false]);
  });

  it('the harness plays the admin: it creates the events the targets name, so prepare and deliver work', async () => {
    const started = await harness.startSimulator({ seed: 2 });
    running = started;
    const sink = harness.createSink(started.sinkConfig);
    const context = recordingContext();
    await sink.actions?.prepare?.(TARGETS, context);
    const results = await sink.actions?.deliver([action(1)], context);
    expect(results?.map((result) => result.status)).toEqual(['applied']);
  });
});
