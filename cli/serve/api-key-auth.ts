import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * API keys compared in constant time: both sides are hashed first, so the
 * comparison has one length whatever the caller sends, and every configured
 * key is compared (no early exit that would tell which key came close).
 */
export type KeyCheck = (presented: string | undefined) => boolean;

export function createKeyCheck(keys: readonly string[]): KeyCheck {
  const digests = keys.map(digest);
  return (presented) => {
    if (presented === undefined || presented === '') return false;
    const candidate = digest(presented);
    let matched = false;
    for (const known of digests) matched = timingSafeEqual(known, candidate) || matched;
    return matched;
  };
}

/** `Authorization: Bearer <key>`, else `X-API-Key: <key>`. */
export function presentedKey(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1];
  }
  const header = headers['x-api-key'];
  return typeof header === 'string' ? header.trim() : undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
