import { hashIdentifier } from '../audit/hash-identifier.js';

/**
 * How a report names the identifier an erasure request gave, without
 * printing it: its kind and the first 12 hex digits of the hash the audit
 * trail records for it (HMAC under SEGFLOW_PII_KEY when set, else the
 * state's suppression hash), so an operator can match a transcript line to
 * its audit entry, and a terminal log, a CI transcript or a ticket never
 * holds the raw value.
 */
const LABELS = { email: 'e-mail', userId: 'userId', anonymousId: 'anonymousId', key: 'key' } as const;

export function maskedIdentifier(kind: keyof typeof LABELS, normalized: string, env: NodeJS.ProcessEnv): string {
  return `${LABELS[kind]}#${hashIdentifier(normalized, env).hash.slice(0, 12)}`;
}
