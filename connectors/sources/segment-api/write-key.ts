import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The write key a request carries: HTTP Basic (`writeKey:` base64, the
 * password empty) first, else `writeKey` in the body, as Segment accepts.
 */
export function requestWriteKey(authorization: string | undefined, bodyWriteKey: string | undefined): string | undefined {
  if (authorization !== undefined) {
    const match = /^Basic\s+(\S+)$/i.exec(authorization.trim());
    if (match) {
      const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const key = colon === -1 ? decoded : decoded.slice(0, colon);
      if (key !== '') return key;
    }
  }
  return bodyWriteKey === '' ? undefined : bodyWriteKey;
}

/**
 * Whether `key` is one of the source's keys, in time independent of where a
 * guess differs (hashes first, so lengths never leak either), and of which
 * key matched (every key is compared).
 */
export function isKnownWriteKey(key: string | undefined, keys: readonly string[]): boolean {
  if (key === undefined) return false;
  const candidate = createHash('sha256').update(key).digest();
  let known = false;
  for (const expected of keys) {
    if (timingSafeEqual(candidate, createHash('sha256').update(expected).digest())) known = true;
  }
  return known;
}
