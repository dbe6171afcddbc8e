import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Mixpanel can call a cohort webhook with HTTP Basic credentials set in its
 * Integrations UI. Whether an `Authorization` header carries them, compared
 * in constant time (hashes first, so unequal lengths leak nothing either).
 */
export function basicAuthMatches(header: string | undefined, expected: { username: string; password: string }): boolean {
  if (header === undefined || !/^basic /i.test(header)) return false;
  const given = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(`${expected.username}:${expected.password}`));
}
