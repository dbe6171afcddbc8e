import { afterEach, describe, expect, it } from 'vitest';
import { AccountQueue } from '../../../core/sync/delivery/account-queue.js';
import { deliver, type DeliveryOutcome } from '../../../core/sync/delivery/deliver.js';
import { DEFAULT_RETRY_POLICY } from '../../../core/sync/delivery/retry-policy.js';
import type { ActionCapability, Sink, SinkAction, SinkContext } from '../../../core/sync/sink.js';
import { startWebhookReceiver, type RunningWebhookReceiver } from './simulator/webhook-receiver.js';
import { createWebhookSink } from './webhook-sink.js';

/**
 * The sink through the shared delivery layer, the way the action worker
 * drives it: the layer's own retries (no sleeping: backoff waits are
 * skipped) and its bisection of a batch refused as a whole.
 */
const running: RunningWebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((receiver) => receiver.stop()));
});

const action = (index: number): SinkAction => ({
  id: `delivery-test-${String(index).padStart(8, '0')}`,
  kind: 'webhook:post',
  target: 'vip_welcome',
  record: { profileId: `u:${index}`, key: `u:${index}` },
  occurredAt: '2026-12-03T10:00:00.000Z',
  properties: { tier: 'gold' },
});

async function deliverAll(sink: Sink, actions: readonly SinkAction[]): Promise<Array<DeliveryOutcome<SinkAction>>> {
  const capability = sink.actions as ActionCapability;
  const queue = new AccountQueue(sink.capabilities());
  const context: SinkContext = { request: (label, call) => queue.request(label, call), signal: new AbortController().signal, now: Date.now };
  const outcomes: Array<DeliveryOutcome<SinkAction>> = [];
  await deliver(actions, {
    queue, policy: DEFAULT_RETRY_POLICY, random: () => 0, sleep: () => Promise.resolve(), now: Date.now, signal: context.signal,
    parallelBatches: 2,
    connector: sink.kind,
    toBatches: (items) => Array.from({ length: Math.ceil(items.length / capability.maxBatch) }, (_, index) => items.slice(index * capability.maxBatch, (index + 1) * capability.maxBatch)),
    send: (batch) => capability.deliver(batch, context),
    settle: (settled) => {
      outcomes.push(...settled);
      return Promise.resolve();
    },
  });
  await queue.close();
  return outcomes;
}

describe('webhook sink through the delivery layer', () => {
  it('retries a lost response with the same key: every action applied, each recorded once', async () => {
    const receiver = await startWebhookReceiver({ seed: 5 });
    running.push(receiver);
    receiver.view.setFaults({ lostResponses: 2, serverErrorRate: 0.2 });
    const sink = createWebhookSink({ ...receiver.sinkConfig, id: 'hooks' }, { timeoutMs: 2_000 });
    const actions = Array.from({ length: 12 }, (_, index) => action(index));
    const outcomes = await deliverAll(sink, actions);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(actions.map(() => 'applied'));
    expect(receiver.view.deliveries().map((delivery) => delivery.id).sort()).toEqual(actions.map((item) => item.id).sort());
    expect(receiver.view.totalRepeats()).toBe(2);
  });

  it('a batch refused for one profile is bisected: only that action is rejected', async () => {
    const receiver = await startWebhookReceiver({ seed: 5 });
    running.push(receiver);
    receiver.view.setFaults({ rejectKeys: new Set(['u:6']) });
    const sink = createWebhookSink({ ...receiver.sinkConfig, id: 'hooks', max_batch: 10 });
    const outcomes = await deliverAll(sink, Array.from({ length: 10 }, (_, index) => action(index)));
    expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => outcome.item.record.profileId)).toEqual(['u:6']);
    expect(receiver.view.deliveries()).toHaveLength(9);
  });
});
