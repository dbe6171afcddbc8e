import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A key or secret as the server keeps it once resolved: its SHA-256, never
 * the text. The raw value is dropped right after resolution, so a heap dump,
 * an error or a log line cannot carry it, and comparisons run on equal-length
 * digests (a guess's length and where it differs leak nothing).
 */
export type SecretDigest = Buffer & { readonly __brand: 'SecretDigest' };

export function digestSecret(value: string): SecretDigest {
  return createHash('sha256').update(value, 'utf8').digest() as SecretDigest;
}

/**
 * The digest among `known` that `presented` hashes to, or undefined. Every
 * known digest is compared (no early exit that would tell which came close).
 */
export function matchDigest(presented: string | undefined, known: readonly SecretDigest[]): SecretDigest | undefined {
  if (presented === undefined || presented === '') return undefined;
  const candidate = digestSecret(presented);
  let matched: SecretDigest | undefined;
  for (const digest of known) if (timingSafeEqual(digest, candidate)) matched = digest;
  return matched;
}
