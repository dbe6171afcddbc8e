import type { CanonicalEvent } from '../events/canonical-event.js';
import type { SuppressionCheck } from './suppressions.js';

/**
 * Ingest-time decisions: does this record belong to an erased person? An
 * event does when its userId, anonymousId or an email among its traits
 * (top-level or context) is suppressed. Pure; the runner drops and counts.
 */
export function isSuppressedEvent(check: SuppressionCheck, event: Pick<CanonicalEvent, 'userId' | 'anonymousId' | 'previousId' | 'traits' | 'context'>): boolean {
  if (check.size === 0) return false;
  for (const id of [event.userId, event.anonymousId, event.previousId]) {
    if (typeof id === 'string' && id.trim() !== '' && check.has(id.trim())) return true;
  }
  const contextTraits = event.context.traits;
  const emails = [event.traits.email, typeof contextTraits === 'object' && contextTraits !== null && !Array.isArray(contextTraits) ? contextTraits.email : undefined];
  return emails.some((email) => typeof email === 'string' && email.trim() !== '' && check.has(email.trim().toLowerCase()));
}

/** A raw Segment-spec JSON text (the bulk path hands these over unparsed); unparseable text is left to the normal path. */
export function isSuppressedJsonText(check: SuppressionCheck, text: string): boolean {
  if (check.size === 0) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return isSuppressedSample(check, text);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
  const record = parsed as Record<string, unknown>;
  const object = (value: unknown) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, never>) : {});
  const text_ = (value: unknown) => (typeof value === 'string' ? value : null);
  return isSuppressedEvent(check, {
    userId: text_(record.userId ?? record.user_id), anonymousId: text_(record.anonymousId ?? record.anonymous_id), previousId: text_(record.previousId),
    traits: object(record.traits), context: object(record.context),
  });
}

/**
 * A rejected record's sample (text, maybe cut): suppressed when any quoted
 * string in it is an erased identifier. Rejections of erased people are
 * dropped rather than quarantined with their data.
 */
export function isSuppressedSample(check: SuppressionCheck, sample: string): boolean {
  if (check.size === 0) return false;
  for (const match of sample.matchAll(/"((?:[^"\\]|\\.){1,320})"/g)) {
    const value = (match[1] as string).trim();
    if (value !== '' && (check.has(value) || check.has(value.toLowerCase()))) return true;
  }
  return false;
}
