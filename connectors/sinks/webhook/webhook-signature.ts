import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Stripe-style request signing, so a receiver can tell a segflow POST from a
 * forgery and from a replay of an old one.
 *
 *   X-Segflow-Timestamp: <unix seconds when the POST was signed>
 *   X-Segflow-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>
 *
 * Verifying (README.md has the same recipe with code):
 * 1. Read the raw body bytes, before any JSON parsing (a re-serialized body
 *    differs in spacing and key order, and the HMAC with it).
 * 2. Refuse (401) when either header is missing, or when the timestamp is
 *    more than 5 minutes from your clock: a captured request replayed later
 *    fails here, even with its valid signature.
 * 3. Compute hex(HMAC-SHA256(secret, timestamp + "." + rawBody)) and compare
 *    it with each `v1=` value in constant time; refuse (401) when none match.
 * 4. Then deduplicate by Idempotency-Key (a batch: by each item's `id`):
 *    segflow retries after a timeout, so the same action can arrive twice.
 *
 * The timestamp is signed too, so it cannot be moved forward to pass step 2.
 * Each retry is signed anew, with a fresh timestamp.
 */
export const TIMESTAMP_HEADER = 'X-Segflow-Timestamp';
export const SIGNATURE_HEADER = 'X-Segflow-Signature';
/** How far a timestamp may be from the receiver's clock. */
export const DEFAULT_TOLERANCE_SECONDS = 300;
const SCHEME = 'v1';

export function signatureOf(secret: string, timestampSeconds: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`, 'utf8').digest('hex');
}

/** The two headers a signed POST carries. */
export function signingHeaders(secret: string, nowMs: number, rawBody: string): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1_000);
  return { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: `${SCHEME}=${signatureOf(secret, timestamp, rawBody)}` };
}

export type SignatureCheck = { valid: true } | { valid: false; reason: string };

export interface SignatureInput {
  timestampHeader: string | undefined;
  signatureHeader: string | undefined;
  rawBody: string;
}

/** The receiver's side (steps 2 and 3 above), as a pure function of the headers, the body and the receiver's clock. */
export function verifySignature(secret: string, input: SignatureInput, nowMs: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): SignatureCheck {
  if (input.timestampHeader === undefined || input.signatureHeader === undefined) {
    return { valid: false, reason: `missing ${input.timestampHeader === undefined ? TIMESTAMP_HEADER : SIGNATURE_HEADER}` };
  }
  if (!/^\d+$/.test(input.timestampHeader)) return { valid: false, reason: `${TIMESTAMP_HEADER} is not unix seconds` };
  const timestamp = Number(input.timestampHeader);
  const skew = Math.abs(nowMs / 1_000 - timestamp);
  if (skew > toleranceSeconds) return { valid: false, reason: `timestamp is ${Math.round(skew)} s from the receiver's clock (tolerance ${toleranceSeconds} s)` };
  const expected = Buffer.from(signatureOf(secret, timestamp, input.rawBody), 'hex');
  const candidates = input.signatureHeader
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${SCHEME}=`))
    .map((part) => Buffer.from(part.slice(SCHEME.length + 1), 'hex'));
  const matches = candidates.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
  return matches ? { valid: true } : { valid: false, reason: 'signature does not match the body' };
}
