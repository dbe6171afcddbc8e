import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import { recordingContext } from '../../../core/sync/recording-context.test-support.js';
import type { Sink, SinkAction } from '../../../core/sync/sink.js';
import { startWebhookReceiver, type RunningWebhookReceiver, type WebhookReceiverOptions } from './simulator/webhook-receiver.js';
import { createWebhookSink, type WebhookSinkOptions } from './webhook-sink.js';

const running: RunningWebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((receiver) => receiver.stop()));
});

async function start(options: Partial<WebhookReceiverOptions> = {}): Promise<RunningWebhookReceiver> {
  const receiver = await startWebhookReceiver({ seed: 3, ...options });
  running.push(receiver);
  return receiver;
}

function sinkFor(receiver: RunningWebhookReceiver, overrides: Record<string, unknown> = {}, options: WebhookSinkOptions = {}): Sink {
  return createWebhookSink({ ...receiver.sinkConfig, id: 'hooks', mode: 'sync', properties: {}, lists: [], ...overrides }, options);
}

const action = (index: number, properties: SinkAction['properties'] = { cart_value: index * 10, currency: 'EUR' }): SinkAction => ({
  id: `action-${String(index).padStart(15, '0')}`,
  kind: 'webhook:post',
  target: 'cart_abandoned',
  record: { profileId: `u:${index}`, key: `u:${index}` },
  occurredAt: '2026-12-03T10:00:00.000Z',
  properties,
});

function actionsOf(sink: Sink) {
  const capability = sink.actions;
  if (!capability) throw new Error('the webhook sink must offer actions');
  return capability;
}

async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(ConnectorError);
  return outcome as ConnectorError;
}

describe('webhook sink: capabilities', () => {
  it('offers webhook:post actions and no record operation; a record change handed to it fails permanently', async () => {
    const receiver = await start();
    const sink = sinkFor(receiver, { max_batch: 20 });
    expect(sink.capabilities().operations).toEqual({});
    expect(sink.capabilities().triggerKinds).toEqual(['webhook:post']);
    expect(actionsOf(sink)).toMatchObject({ kinds: ['webhook:post'], maxBatch: 20 });
    const [result] = await sink.apply({ op: 'upsert', changes: [{ op: 'upsert', record: { profileId: 'u:1', key: 'u:1' }, properties: {} }] }, recordingContext());
    expect(result).toMatchObject({ status: 'failed', error: { kind: 'permanent', code: 'webhook.operation_unsupported' } });
    expect(receiver.view.requests()).toBe(0);
  });

  it('refuses properties or lists at creation, and a foreign kind in prepare, without calling the endpoint', async () => {
    const receiver = await start();
    expect(() => sinkFor(receiver, { properties: { score: { feature: 'monetary_90d' } } })).toThrow(/only delivers trigger actions; remove properties and lists/);
    const sink = sinkFor(receiver);
    await expect(actionsOf(sink).prepare?.([{ kind: 'webhook:post', target: 'cart_abandoned', fields: ['cart_value'] }], recordingContext())).resolves.toBeUndefined();
    await expect(actionsOf(sink).prepare?.([{ kind: 'hubspot:event', target: 'pe_cart', fields: [] }], recordingContext())).rejects.toThrow(/"pe_cart" uses kind hubspot:event/);
    expect(receiver.view.requests()).toBe(0);
  });

  it('needs the signing secret: an unset ${env:…} is a config error naming the variable', () => {
    expect(() => createWebhookSink({ type: 'webhook', id: 'hooks', url: 'https://hooks.example.com/x', secret: '${env:HOOK_SECRET}' }, { env: {} })).toThrow(
      /sinks\.hooks\.secret: environment variable HOOK_SECRET is not set/,
    );
    const sink = createWebhookSink({ type: 'webhook', url: 'https://hooks.example.com/x?token=abc', secret: '${env:HOOK_SECRET}' }, { env: { HOOK_SECRET: 's3cret' } });
    expect(sink.account).toBe('webhook:https://hooks.example.com/x');
  });
});

describe('webhook sink against the receiver', () => {
  it('delivers each action once, signed, with its id as Idempotency-Key and the profile id in the body', async () => {
    const receiver = await start();
    const sink = sinkFor(receiver);
    const context = recordingContext();
    const actions = [action(1), action(2), action(3)];
    const results = await actionsOf(sink).deliver(actions, context);
    expect(results).toEqual([{ status: 'applied' }, { status: 'applied' }, { status: 'applied' }]);
    expect(context.labels).toHaveLength(3);
    expect(receiver.view.refusals()).toEqual([]);
    const deliveries = receiver.view.deliveries();
    expect(deliveries.map((delivery) => delivery.id)).toEqual(actions.map((item) => item.id));
    expect(deliveries[1]).toEqual({
      id: actions[1]?.id, type: 'cart_abandoned', occurredAt: '2026-12-03T10:00:00.000Z', profileId: 'u:2', properties: { cart_value: 20, currency: 'EUR' }, requestKey: actions[1]?.id, path: '/hooks',
    });
    expect(receiver.view.totalRepeats()).toBe(0);
  });

  it('sends a JSON array per max_batch actions, one key per item and a batch Idempotency-Key', async () => {
    const receiver = await start();
    const sink = sinkFor(receiver, { max_batch: 50 });
    const context = recordingContext();
    const actions = Array.from({ length: 120 }, (_, index) => action(index));
    const results = await actionsOf(sink).deliver(actions, context);
    expect(results.every((result) => result.status === 'applied')).toBe(true);
    expect(context.labels).toHaveLength(3);
    const deliveries = receiver.view.deliveries();
    expect(deliveries).toHaveLength(120);
    expect(new Set(deliveries.map((delivery) => delivery.requestKey)).size).toBe(3);
    expect(deliveries.every((delivery) => delivery.requestKey.startsWith('batch_'))).toBe(true);
  });

  it('after a lost response, delivering the same actions again records them once and counts the repeat', async () => {
    const receiver = await start();
    const sink = sinkFor(receiver);
    receiver.view.setFaults({ lostResponses: 1 });
    const lost = await failureOf(actionsOf(sink).deliver([action(7)], recordingContext()));
    expect(lost).toMatchObject({ kind: 'retryable', code: 'webhook.network' });
    const retried = await actionsOf(sink).deliver([action(7)], recordingContext());
    expect(retried).toEqual([{ status: 'applied' }]);
    expect(receiver.view.deliveries().map((delivery) => delivery.id)).toEqual([action(7).id]);
    expect(receiver.view.repeats()).toEqual(new Map([[action(7).id, 1]]));
  });

  it('a lost batch response, retried, delivers no item twice', async () => {
    const receiver = await start();
    const sink = sinkFor(receiver, { max_batch: 10 });
    receiver.view.setFaults({ lostResponses: 1 });
    const actions = Array.from({ length: 10 }, (_, index) => action(index));
    await failureOf(actionsOf(sink).deliver(actions, recordingContext()));
    expect(await actionsOf(sink).deliver(actions, recordingContext())).toHaveLength(10);
    expect(receiver.view.deliveries()).toHaveLength(10);
    expect(receiver.view.totalRepeats()).toBe(10);
  });

  it('an answer later than the timeout is retryable', async () => {
    const receiver = await start();
    const sink = sinkFor(receiver, {}, { timeoutMs: 100 });
    receiver.view.setFaults({ latencyMs: 2_000 });
    const error = await failureOf(actionsOf(sink).deliver([action(1)], recordingContext()));
    expect(error).toMatchObject({ kind: 'retryable', code: 'webhook.timeout' });
    expect(error.message).toMatch(/no answer within 0\.1 s; it will be retried with the same Idempotency-Key/);
  });

  it('a 5xx is retryable; a 429 is throttled with the Retry-After wait', async () => {
    let now = Date.parse('2026-12-03T10:00:00Z');
    const receiver = await start({ now: () => now });
    const sink = sinkFor(receiver);
    receiver.view.setFaults({ serverErrorRate: 1 });
    expect(await failureOf(actionsOf(sink).deliver([action(1)], recordingContext(() => now)))).toMatchObject({ kind: 'retryable', code: 'webhook.unavailable' });
    receiver.view.setFaults({ throttleUntil: now + 30_000 });
    const throttled = await failureOf(actionsOf(sink).deliver([action(1)], recordingContext(() => now)));
    expect(throttled).toMatchObject({ kind: 'retryable', code: 'webhook.rate_limited', details: { throttled: true, retryAfterMs: 30_000 } });
    now += 31_000;
    expect(await actionsOf(sink).deliver([action(1)], recordingContext(() => now))).toEqual([{ status: 'applied' }]);
    expect(receiver.view.deliveries()).toHaveLength(1);
  });

  it('a 4xx is permanent, with the status and a snippet that leaks no email or phone number', async () => {
    const receiver = await start();
    const sink = sinkFor(receiver);
    receiver.view.setFaults({ rejectKeys: new Set(['u:5']) });
    const error = await failureOf(actionsOf(sink).deliver([action(5, { email: 'ann.lee+vip@example.com', phone: '+1 415 555 0100', cart_value: 42 })], recordingContext()));
    expect(error).toMatchObject({ kind: 'permanent', code: 'webhook.rejected' });
    expect(error.message).toMatch(/HTTP 422: .*contact u:5 cannot receive cart_abandoned/);
    expect(error.message).toContain('42');
    expect(error.message).not.toContain('ann.lee');
    expect(error.message).not.toContain('example.com');
    expect(error.message).not.toContain('555');
    expect(receiver.view.deliveries()).toEqual([]);
  });

  it('a wrong secret or a clock 10 minutes behind is refused by the receiver and stops delivery as a config error', async () => {
    const receiver = await start();
    const wrongSecret = sinkFor(receiver, { secret: 'not-the-receivers-secret' });
    expect(await failureOf(actionsOf(wrongSecret).deliver([action(1)], recordingContext()))).toMatchObject({ kind: 'config', code: 'webhook.unauthorized' });
    const late = await failureOf(actionsOf(sinkFor(receiver)).deliver([action(1)], recordingContext(() => Date.now() - 600_000)));
    expect(late.message).toMatch(/HTTP 401.*timestamp is \d+ s from the receiver's clock/);
    expect(receiver.view.refusals().map((refusal) => refusal.status)).toEqual([401, 401]);
    expect(receiver.view.deliveries()).toEqual([]);
  });

  it('does not follow a redirect, and names where it pointed without its query', async () => {
    const receiver = await start();
    const sink = sinkFor(receiver, { url: receiver.url.replace('/hooks', '/moved') });
    const error = await failureOf(actionsOf(sink).deliver([action(1)], recordingContext()));
    expect(error).toMatchObject({ kind: 'permanent', code: 'webhook.redirected' });
    expect(error.message).toContain(`HTTP 308 redirecting to ${receiver.url}`);
    expect(error.message).not.toContain('token=');
    expect(receiver.view.deliveries()).toEqual([]);
  });
});
