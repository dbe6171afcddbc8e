import { matchDigest, type SecretDigest } from '../../../core/config/secret-digest.js';

/** Base64 as RFC 4648 writes it; anything else in a Basic header is a malformed credential, not a key. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The write key a request carries: HTTP Basic (`writeKey:` base64, the
 * password empty; the scheme in any case) first, else `writeKey` in the body,
 * as Segment accepts. A malformed Basic header yields no key (a 401), not a
 * guess at what its bytes meant.
 */
export function requestWriteKey(authorization: string | undefined, bodyWriteKey: string | undefined): string | undefined {
  if (authorization !== undefined) {
    const match = /^basic[ \t]+(\S+)$/i.exec(authorization.trim());
    if (match) {
      if (!BASE64.test(match[1]!)) return undefined;
      const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const key = colon === -1 ? decoded : decoded.slice(0, colon);
      if (key !== '') return key;
    }
  }
  return bodyWriteKey === '' ? undefined : bodyWriteKey;
}

/**
 * The digest among the sources' write keys that `key` hashes to, in time
 * independent of where a guess differs (digests of equal length) and of
 * which key matched (every digest is compared).
 */
export function matchWriteKey(key: string | undefined, digests: readonly SecretDigest[]): SecretDigest | undefined {
  return matchDigest(key, digests);
}
