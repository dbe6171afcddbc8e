import { readPath } from './event-matcher.js';
import type { TriggerProfile } from './guards/guard-types.js';
import type { ActionTemplate, FieldSnapshot, JsonValue } from './trigger-types.js';

/** A payload value as sinks take it (SinkAction.properties): scalars; objects travel as JSON text. */
export type PayloadValue = string | number | boolean | null;

export interface PayloadSources {
  triggerId: string;
  profileId: string;
  matchKey: string;
  anchorAt: number;
  fields: FieldSnapshot;
  profile: TriggerProfile | undefined;
}

/**
 * Fills a payload mapping. Event fields come from the snapshot taken when the
 * match was made; profile fields are read at send time (the email a shopper
 * has now). A field with no value is left out rather than sent as null, so a
 * vendor property is never cleared by a trigger.
 */
export function buildPayload(template: ActionTemplate, sources: PayloadSources): Record<string, PayloadValue> {
  const payload: Record<string, PayloadValue> = {};
  for (const [field, source] of Object.entries(template.payload)) {
    const value = source.from === 'value' ? source.value : resolve(source.path, sources);
    if (value === undefined) continue;
    payload[field] = value === null || typeof value !== 'object' ? value : JSON.stringify(value);
  }
  return payload;
}

function resolve(path: string, sources: PayloadSources): JsonValue | undefined {
  if (path.startsWith('event.') || path.startsWith('segment.')) return sources.fields[path];
  if (path === 'profile.id') return sources.profileId;
  if (path.startsWith('profile.traits.')) return readPath(sources.profile?.traits, path.slice('profile.traits.'.length));
  if (path === 'match.key') return sources.matchKey;
  if (path === 'match.at') return new Date(sources.anchorAt).toISOString();
  if (path === 'trigger.id') return sources.triggerId;
  return undefined;
}
