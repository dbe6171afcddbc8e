import type { ChangeResult, PropertyValue, SinkChange } from '../../../core/sync/sink.js';
import { permanentFailure } from './record-results.js';

/**
 * Marketo string fields hold a fixed number of characters: Describe reports
 * it as `length` (255 for the String type, the only text type Create Lead
 * Fields can make). A segments property is every segment name joined with
 * ";" (core/sync/desired-state.ts), so a profile in many segments can pass
 * it. Such a change is failed here, not sent: Marketo would refuse the lead,
 * and cutting the value would leave a partial list that acknowledged state
 * records as complete.
 */
export interface OversizedValue {
  field: string;
  characters: number;
  limit: number;
}

/** The first string property longer than its field's described length; `limits` maps field → length. */
export function oversizedValue(properties: Readonly<Record<string, PropertyValue>>, limits: ReadonlyMap<string, number>): OversizedValue | undefined {
  for (const [field, value] of Object.entries(properties)) {
    const limit = limits.get(field);
    if (limit === undefined || typeof value !== 'string') continue;
    // Marketo counts characters; code points, so an emoji is one, as it is there.
    const characters = [...value].length;
    if (characters > limit) return { field, characters, limit };
  }
  return undefined;
}

export function valueTooLong(change: SinkChange, oversized: OversizedValue): ChangeResult {
  const { field, characters, limit } = oversized;
  return permanentFailure(
    'value_too_long',
    `Marketo lead field ${field} holds at most ${limit} characters, but the value for profile ${change.record.profileId} has ${characters} characters, so its lead was not written. ` +
      `Write less into ${field} (a segments property joins every segment name with ";": map fewer segments into it, or use static lists for membership), or make ${field} a Text Area field in Admin > Field Management.`,
  );
}
