import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTrackingRequest, MAX_BATCH_BYTES } from './tracking-request.js';
import { verifyWebhookSignature } from './webhook-signature.js';

/**
 * Whatever a client sends, the decoder answers lines or a 400 with a
 * reason, never throws; what it accepts is one JSON object per line with a
 * messageId and receivedAt, and no write key.
 */
const RECEIVED = '2026-12-01T00:00:00.000Z';
const FUZZ = { numRuns: 400, seed: 20261203 };

function checkOutcome(outcome: ReturnType<typeof decodeTrackingRequest>): void {
  if (!outcome.ok) {
    expect(outcome.status).toBe(400);
    expect(outcome.message.length).toBeGreaterThan(10);
    return;
  }
  const lines = outcome.lines.split('\n').slice(0, -1);
  expect(lines.length).toBe(outcome.events);
  for (const line of lines) {
    const event = JSON.parse(line) as Record<string, unknown>;
    expect(typeof event.messageId).toBe('string');
    expect(event.receivedAt).toBe(RECEIVED);
    expect('writeKey' in event).toBe(false);
  }
}

describe('tracking request decoder (property)', () => {
  it('answers any bytes with lines or a reason, never a throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom(undefined, 'gzip', 'br', 'identity'), (bytes, encoding) => {
      checkOutcome(decodeTrackingRequest({ endpoint: 'batch', body: Buffer.from(bytes), contentEncoding: encoding, receivedAt: RECEIVED }));
    }), FUZZ);
  });

  it('answers any JSON, plain or gzip, on every endpoint', () => {
    const endpoint = fc.constantFrom('batch', 'track', 'identify', 'page', 'screen', 'group', 'alias') as fc.Arbitrary<'batch'>;
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record({ batch: fc.array(fc.oneof(fc.jsonValue(), fc.record({ type: fc.string(), messageId: fc.oneof(fc.string(), fc.integer()), writeKey: fc.string() })), { maxLength: 20 }), context: fc.jsonValue(), writeKey: fc.string() }),
    );
    fc.assert(fc.property(endpoint, body, fc.boolean(), (path, value, gzip) => {
      const text = Buffer.from(JSON.stringify(value) ?? 'null');
      checkOutcome(decodeTrackingRequest({ endpoint: path, body: gzip ? gzipSync(text) : text, contentEncoding: gzip ? 'gzip' : undefined, receivedAt: RECEIVED }));
    }), FUZZ);
  });

  it('refuses a gzip bomb past 500 KB decoded, naming the batch limit', () => {
    const bomb = gzipSync(Buffer.from(JSON.stringify({ batch: [{ type: 'track', pad: ' '.repeat(MAX_BATCH_BYTES * 4) }] })));
    const outcome = decodeTrackingRequest({ endpoint: 'batch', body: bomb, contentEncoding: 'gzip', receivedAt: RECEIVED });
    expect(outcome).toMatchObject({ ok: false, status: 400 });
    expect(outcome.ok ? '' : outcome.message).toMatch(/500 KB batch limit/);
  });
});

describe('webhook signature (property)', () => {
  it('never throws and never accepts a body under a signature made for another', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), fc.option(fc.string(), { nil: undefined }), (bytes, signature) => {
      const verdict = verifyWebhookSignature(Buffer.from(bytes), signature, 'secret');
      if (!verdict.ok) expect(verdict.reason.length).toBeGreaterThan(5);
    }), FUZZ);
  });
});
