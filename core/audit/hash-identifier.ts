import { createHash, createHmac } from 'node:crypto';
import { PII_KEY_VARIABLE } from '../privacy/identifier-hash.js';
import { suppressionHash } from '../privacy/suppressions.js';

/**
 * Identifiers as the trail names them. With SEGFLOW_PII_KEY: HMAC-SHA-256
 * under it, so an exported trail (handed to a DPO) does not let its reader
 * test guessed e-mails. Without: the same hash the state's suppression list
 * holds (core/privacy/suppressions.ts), so an entry can be matched to its
 * suppression. `scheme` says which, for whoever matches them later.
 */
export function hashIdentifier(identifier: string, env: NodeJS.ProcessEnv): { scheme: 'hmac-sha256' | 'suppression-sha256'; hash: string } {
  const key = env[PII_KEY_VARIABLE];
  if (key !== undefined && key !== '') return { scheme: 'hmac-sha256', hash: createHmac('sha256', key).update(`segflow-audit-identifier:${identifier}`).digest('hex') };
  return { scheme: 'suppression-sha256', hash: suppressionHash(identifier) };
}

/** A short, stable name for a secret (an API key, an encryption key) that does not reveal it: never log the secret itself. */
export function secretFingerprint(secret: string): string {
  return digestFingerprint(createHash('sha256').update(secret, 'utf8').digest());
}

/**
 * The same name from the secret's SHA-256 (core/config/secret-digest.ts):
 * the server keeps only digests of write keys, and a key must be named the
 * same whether it was seen in clear (a Bearer token) or matched by digest.
 */
export function digestFingerprint(digest: Uint8Array): string {
  return createHash('sha256').update(`segflow-secret-fingerprint:${Buffer.from(digest).toString('hex')}`).digest('hex').slice(0, 16);
}
