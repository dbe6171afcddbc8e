import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

export type WebhookVerdict = { ok: true; payload: unknown } | { ok: false; reason: string };

/**
 * Segment's Webhooks destination signs with `X-Signature: hex(HMAC-SHA1(secret,
 * body))`; with batching on, only the first event is signed:
 * `HMAC(secret, JSON.stringify(body[0]))` (vendor-facts §6.5). The raw bytes
 * are tried first (exact whatever Segment's spacing), then, for a batch, the
 * first event as Segment serialises it. Compared in constant time. The server
 * passes the secret as a KeyObject (it cannot be hashed: HMAC needs it), so
 * it never sits in memory as a string a log or error could print.
 */
export function verifyWebhookSignature(raw: Buffer, signature: string | undefined, secret: string | KeyObject): WebhookVerdict {
  if (signature === undefined || signature.trim() === '') return { ok: false, reason: 'missing X-Signature header' };
  const given = Buffer.from(signature.trim().toLowerCase(), 'utf8');
  const matches = (bytes: Buffer | string) => {
    const expected = Buffer.from(createHmac('sha1', secret).update(bytes).digest('hex'), 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  };
  let payload: unknown;
  try {
    payload = JSON.parse(raw.toString('utf8'));
  } catch {
    // Checked before parsing would leak nothing more; an unparseable body is refused either way.
    return { ok: false, reason: matches(raw) ? 'body is not valid JSON' : 'X-Signature does not match the body' };
  }
  if (matches(raw)) return { ok: true, payload };
  if (Array.isArray(payload) && payload.length > 0 && matches(JSON.stringify(payload[0]))) return { ok: true, payload };
  return { ok: false, reason: 'X-Signature does not match the body' };
}
