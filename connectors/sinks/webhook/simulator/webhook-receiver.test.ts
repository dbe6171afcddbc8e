import { afterEach, describe, expect, it } from 'vitest';
import { signingHeaders, verifySignature } from '../webhook-signature.js';
import { startWebhookReceiver, type RunningWebhookReceiver } from './webhook-receiver.js';

const running: RunningWebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((receiver) => receiver.stop()));
});

const NOW = Date.parse('2026-12-03T10:00:00Z');
const body = JSON.stringify({ id: 'a1b2c3d4e5f6g7h8i9j0kl', type: 'cart_abandoned', occurred_at: '2026-12-03T09:59:00.000Z', profile_id: 'u:42', properties: { cart_value: 99.5 } });

async function post(receiver: RunningWebhookReceiver, rawBody: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(receiver.url, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'a1b2c3d4e5f6g7h8i9j0kl', ...headers }, body: rawBody });
  await response.arrayBuffer();
  return response.status;
}

describe('webhook signature', () => {
  it('verifies what it signed, and refuses a tampered body, another secret, a missing header and an old timestamp', () => {
    const headers = signingHeaders('s3cret', NOW, body);
    expect(headers['X-Segflow-Signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    const input = { timestampHeader: headers['X-Segflow-Timestamp'], signatureHeader: headers['X-Segflow-Signature'], rawBody: body };
    expect(verifySignature('s3cret', input, NOW + 1_000)).toEqual({ valid: true });
    expect(verifySignature('s3cret', { ...input, rawBody: body.replace('99.5', '0.5') }, NOW)).toEqual({ valid: false, reason: 'signature does not match the body' });
    expect(verifySignature('other', input, NOW)).toMatchObject({ valid: false });
    expect(verifySignature('s3cret', { ...input, signatureHeader: undefined }, NOW)).toEqual({ valid: false, reason: 'missing X-Segflow-Signature' });
    expect(verifySignature('s3cret', input, NOW + 301_000)).toEqual({ valid: false, reason: "timestamp is 301 s from the receiver's clock (tolerance 300 s)" });
  });
});

describe('webhook receiver', () => {
  it('accepts a signed POST and answers 401 to a tampered body, without recording it', async () => {
    const receiver = await startWebhookReceiver({ seed: 1, secret: 's3cret', now: () => NOW });
    running.push(receiver);
    const headers = signingHeaders('s3cret', NOW, body);
    expect(await post(receiver, body.replace('99.5', '0.5'), headers)).toBe(401);
    expect(await post(receiver, body, { 'x-segflow-timestamp': headers['X-Segflow-Timestamp'] as string })).toBe(401);
    expect(await post(receiver, body, signingHeaders('s3cret', NOW - 600_000, body))).toBe(401);
    expect(receiver.view.deliveries()).toEqual([]);
    expect(await post(receiver, body, headers)).toBe(200);
    expect(await post(receiver, body, headers)).toBe(200);
    expect(receiver.view.deliveries().map((delivery) => [delivery.profileId, delivery.properties])).toEqual([['u:42', { cart_value: 99.5 }]]);
    expect(receiver.view.totalRepeats()).toBe(1);
    expect(receiver.view.refusals().map((refusal) => refusal.reason)).toEqual([
      'signature does not match the body',
      'missing X-Segflow-Signature',
      "timestamp is 600 s from the receiver's clock (tolerance 300 s)",
    ]);
  });

  it('refuses an Idempotency-Key that does not match the body', async () => {
    const receiver = await startWebhookReceiver({ seed: 1, secret: 's3cret', now: () => NOW });
    running.push(receiver);
    expect(await post(receiver, body, { ...signingHeaders('s3cret', NOW, body), 'idempotency-key': 'some-other-key' })).toBe(400);
    expect(receiver.view.deliveries()).toEqual([]);
  });
});
