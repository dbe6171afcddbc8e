import { digestSecret, matchDigest, type SecretDigest } from '../../../core/config/secret-digest.js';

/** Base64 as RFC 4648 writes it; anything else is a malformed credential. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Mixpanel can call a cohort webhook with HTTP Basic credentials set in its
 * Integrations UI. The server keeps only the digest of `username:password`
 * (basicCredentialDigest, computed as the secret is resolved).
 */
export function basicCredentialDigest(username: string, password: string): SecretDigest {
  return digestSecret(`${username}:${password}`);
}

/**
 * Whether an `Authorization` header carries the credentials: the scheme in
 * any case, the base64 strict (a malformed one is refused, not decoded
 * leniently), compared in constant time on digests (lengths leak nothing).
 */
export function basicAuthMatches(header: string | undefined, expected: SecretDigest): boolean {
  if (header === undefined) return false;
  const match = /^basic[ \t]+(\S+)$/i.exec(header.trim());
  if (!match || !BASE64.test(match[1]!)) return false;
  const given = Buffer.from(match[1]!, 'base64').toString('utf8');
  return matchDigest(given, [expected]) !== undefined;
}
