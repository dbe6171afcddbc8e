import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import { AccountQueue } from '../../../core/sync/delivery/account-queue.js';
import { type DeliveryOutcome, deliver } from '../../../core/sync/delivery/deliver.js';
import { DEFAULT_RETRY_POLICY } from '../../../core/sync/delivery/retry-policy.js';
import { recordingContext } from '../../../core/sync/recording-context.test-support.js';
import type { ActionCapability, ChangeResult, PropertyValue, Sink, SinkAction, SinkRecordRef } from '../../../core/sync/sink.js';
import { harness } from './harness.js';
import type { HubSpotSimulator } from './simulator/hubspot-simulator.js';

/** Trigger actions end to end: the real SDK over HTTP against the simulator. */
let simulator: HubSpotSimulator | undefined;

afterEach(async () => {
  await simulator?.stop();
  simulator = undefined;
});

const EVENT = { kind: 'hubspot:event', target: 'cart_abandoned', fields: ['cart_value', 'items', 'coupon'] };
const LIST = { kind: 'hubspot:list-add', target: 'Workflow: win back' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function setUp(): Promise<{ sim: HubSpotSimulator; sink: Sink; actions: ActionCapability; context: ReturnType<typeof recordingContext> }> {
  simulator = (await harness.startSimulator({ seed: 31, limits: { requests: 10_000 } })) as HubSpotSimulator;
  const sink = harness.createSink({ ...simulator.sinkConfig, id: 'crm', mode: 'sync' });
  if (!sink.actions) throw new Error('the HubSpot sink has no actions');
  return { sim: simulator, sink, actions: sink.actions, context: recordingContext() };
}

const person = (index: number, vendorId?: string): SinkRecordRef => ({ profileId: `u:${index}`, key: `person${index}@example.com`, ...(vendorId ? { vendorId } : {}) });

function action(id: string, record: SinkRecordRef, properties: Record<string, PropertyValue> = {}, spec: { kind: string; target: string } = EVENT): SinkAction {
  return { id, kind: spec.kind, target: spec.target, record, occurredAt: '2026-11-02T10:00:00.000Z', properties };
}

/** Contacts the way a sync leaves them: upserted, acknowledged with their HubSpot ids. */
async function existingContacts(sink: Sink, context: ReturnType<typeof recordingContext>, indexes: number[]): Promise<Map<number, string>> {
  await sink.prepare({ properties: [], lists: [] }, context);
  const results = await sink.apply({ op: 'upsert', changes: indexes.map((index) => ({ op: 'upsert', record: person(index), properties: {} })) }, context);
  return new Map(indexes.map((index, position) => [index, (results[position] as Extract<ChangeResult, { status: 'applied' }>).vendorId ?? '']));
}

describe('HubSpot sink: trigger actions', () => {
  it('offers hubspot:event and hubspot:list-add, and says so in its capabilities', async () => {
    const { sink, actions } = await setUp();
    expect(actions.kinds).toEqual(['hubspot:event', 'hubspot:list-add']);
    expect(sink.capabilities().triggerKinds).toEqual(actions.kinds);
    expect(actions.maxBatch).toBe(500);
  });

  it('prepare creates a missing event definition with the payload fields, and is idempotent', async () => {
    const { sim, actions, context } = await setUp();
    await actions.prepare?.([EVENT], context);
    expect(context.labels).toEqual(['event-definitions.get', 'event-definitions.create']);
    const definition = sim.events.definition('cart_abandoned');
    expect(definition).toMatchObject({ primaryObject: 'CONTACT', fullyQualifiedName: `pe${sim.events.portalId}_cart_abandoned` });
    expect((definition?.['properties'] as Array<{ name: string; type: string }>).map(({ name, type }) => [name, type])).toEqual([
      ['cart_value', 'string'],
      ['items', 'string'],
      ['coupon', 'string'],
    ]);

    context.labels.length = 0;
    await actions.prepare?.([EVENT], context);
    expect(context.labels).toEqual(['event-definitions.get']);

    context.labels.length = 0;
    await actions.prepare?.([{ ...EVENT, fields: [...EVENT.fields, 'channel'] }], context);
    expect(context.labels).toEqual(['event-definitions.get', 'event-definitions.property.create']);
    expect((sim.events.definition('cart_abandoned')?.['properties'] as unknown[]).length).toBe(4);
  });

  it('prepare fails with a config error naming the definition and the property it cannot add', async () => {
    const { actions, context } = await setUp();
    await actions.prepare?.([EVENT], context);
    const failure = await actions.prepare?.([{ ...EVENT, fields: ['Cart Total'] }], context).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConnectorError);
    expect(failure).toMatchObject({ kind: 'config', code: 'hubspot.event_property_missing' });
    expect((failure as ConnectorError).message).toContain('"cart_abandoned"');
    expect((failure as ConnectorError).message).toContain('"Cart Total"');
  });

  it('delivers each event once, by contact id or email, with its properties as text and a UUID from the action id', async () => {
    const { sim, sink, actions, context } = await setUp();
    const ids = await existingContacts(sink, context, [1]);
    await actions.prepare?.([EVENT], context);
    const batch = [action('act-one', person(1, ids.get(1))), action('act-two', person(2), { cart_value: 42.5, items: 3, coupon: null }), action('act-three', person(3), { cart_value: 'free', items: true })];
    batch[0] = { ...(batch[0] as SinkAction), properties: { cart_value: 10 } };

    const results = await actions.deliver(batch, context);
    expect(results.map((result) => result.status)).toEqual(['applied', 'applied', 'applied']);
    const stored = sim.events.occurrences('cart_abandoned');
    expect(stored.map(({ objectId, email, properties, occurredAt }) => ({ objectId, email, properties, occurredAt }))).toEqual([
      { objectId: ids.get(1), email: undefined, properties: { cart_value: '10' }, occurredAt: '2026-11-02T10:00:00.000Z' },
      { objectId: undefined, email: 'person2@example.com', properties: { cart_value: '42.5', items: '3' }, occurredAt: '2026-11-02T10:00:00.000Z' },
      { objectId: undefined, email: 'person3@example.com', properties: { cart_value: 'free', items: 'true' }, occurredAt: '2026-11-02T10:00:00.000Z' },
    ]);
    expect(stored.every(({ uuid }) => UUID.test(uuid))).toBe(true);
    expect(new Set(stored.map(({ uuid }) => uuid)).size).toBe(3);
    expect(context.labels.filter((label) => label === 'events.send.batch')).toHaveLength(1);
  });

  it('after a lost response, delivering the same actions again leaves one occurrence per action', async () => {
    const { sim, actions, context } = await setUp();
    await actions.prepare?.([EVENT], context);
    const batch = [action('act-a', person(1), { cart_value: '1' }), action('act-b', person(2), { cart_value: '2' })];
    sim.view.setFaults({ lostResponses: 1 });

    const lost = await actions.deliver(batch, context).catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(ConnectorError);
    expect((lost as ConnectorError).kind).toBe('retryable');
    expect(sim.events.occurrences()).toHaveLength(2);

    const retried = await actions.deliver(batch, context);
    expect(retried.map((result) => result.status)).toEqual(['applied', 'applied']);
    expect(sim.events.occurrences().map(({ email, properties }) => [email, properties['cart_value']])).toEqual([
      ['person1@example.com', '1'],
      ['person2@example.com', '2'],
    ]);
    expect(sim.events.duplicatesDropped()).toBe(2);
  });

  it('through the delivery layer, answers lost twice still end with every action delivered exactly once', async () => {
    const { sim, sink, actions, context } = await setUp();
    await actions.prepare?.([EVENT], context);
    const queue = new AccountQueue(sink.capabilities());
    const sinkContext = { ...context, request: <T>(label: string, call: () => Promise<T>) => queue.request(label, call) };
    const outcomes: Array<DeliveryOutcome<SinkAction>> = [];
    const batch = [action('d1', person(1), { cart_value: '1' }), action('d2', person(2), { cart_value: '2' }), action('d3', person(3), { cart_value: '3' })];
    sim.view.setFaults({ lostResponses: 2 });

    const stats = await deliver(batch, {
      queue,
      policy: DEFAULT_RETRY_POLICY,
      random: () => 0.5,
      sleep: async () => {},
      now: Date.now,
      signal: new AbortController().signal,
      parallelBatches: 1,
      toBatches: (items) => [items.slice(0, actions.maxBatch)],
      send: (items) => actions.deliver(items, sinkContext),
      settle: async (settled) => {
        outcomes.push(...settled);
      },
      connector: 'sink:hubspot',
    });
    expect(stats.retries).toBe(2);
    expect(outcomes.map((outcome) => [outcome.item.id, outcome.status])).toEqual([
      ['d1', 'applied'],
      ['d2', 'applied'],
      ['d3', 'applied'],
    ]);
    expect(sim.events.occurrences('cart_abandoned').map(({ properties }) => properties['cart_value'])).toEqual(['1', '2', '3']);
  });

  it('fails an action HubSpot would refuse, naming the property and event, and still sends the others', async () => {
    const { sim, actions, context } = await setUp();
    await actions.prepare?.([EVENT], context);
    const results = await actions.deliver([action('ok', person(1), { cart_value: '5' }), action('unknown', person(2), { discount: '10%' }), action('long', person(3), { coupon: 'x'.repeat(300) })], context);
    expect(results[0]).toEqual({ status: 'applied' });
    for (const [result, property] of [
      [results[1], '"discount"'],
      [results[2], '"coupon"'],
    ] as const) {
      expect(result?.status).toBe('failed');
      const error = (result as Extract<ChangeResult, { status: 'failed' }>).error;
      expect(error.kind).toBe('permanent');
      expect(error.message).toContain(property);
      expect(error.message).toContain('"cart_abandoned"');
      expect(error.message).not.toContain('@example.com');
    }
    expect(sim.events.occurrences()).toHaveLength(1);
  });

  it('a definition deleted in HubSpot is a permanent refusal naming the event, and the next delivery creates it again', async () => {
    const { sim, actions, context } = await setUp();
    await actions.prepare?.([EVENT], context);
    const deleted = await fetch(`${sim.url}/events/v3/event-definitions/cart_abandoned`, { method: 'DELETE', headers: { authorization: `Bearer ${sim.control.credentials.privateAppToken}` } });
    expect(deleted.status).toBe(204);

    const refused = await actions.deliver([action('act-x', person(1), { cart_value: '5' })], context).catch((error: unknown) => error);
    expect(refused).toMatchObject({ kind: 'permanent', code: 'hubspot.validation_error' });
    expect((refused as ConnectorError).message).toContain(`pe${sim.events.portalId}_cart_abandoned`);

    const again = await actions.deliver([action('act-x', person(1), { cart_value: '5' })], context);
    expect(again).toEqual([{ status: 'applied' }]);
    expect(sim.events.occurrences('cart_abandoned')).toHaveLength(1);
  });

  it('list-add puts known contacts on the MANUAL list (by id or by email) and skips a contact HubSpot does not have', async () => {
    const { sim, sink, actions, context } = await setUp();
    const ids = await existingContacts(sink, context, [1, 2]);
    await actions.prepare?.([{ ...LIST, fields: [] }], context);
    const batch = [action('l1', person(1, ids.get(1)), {}, LIST), action('l2', person(2), {}, LIST), action('l3', person(3), {}, LIST)];

    const results = await actions.deliver(batch, context);
    expect(results).toEqual([
      { status: 'applied', vendorId: ids.get(1) },
      { status: 'applied', vendorId: ids.get(2) },
      { status: 'skipped', reason: 'no such contact' },
    ]);
    expect(sim.view.listMembers('Workflow: win back')).toEqual(new Set(['person1@example.com', 'person2@example.com']));

    // A retry (after a timeout, say) changes nothing: the contacts are already in.
    const retried = await actions.deliver(batch, context);
    expect(retried.map((result) => (result.status === 'skipped' ? result.reason : result.status))).toEqual(['already a member', 'already a member', 'no such contact']);
    expect(sim.view.listMembers('Workflow: win back').size).toBe(2);
  });
});
