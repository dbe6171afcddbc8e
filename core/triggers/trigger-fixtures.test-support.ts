import { TriggersSection } from '../config/trigger-schema.js';
import { compileTriggers } from './compile-triggers.js';
import type { TriggerProfile } from './guards/guard-types.js';
import { InMemoryTriggerStateRepository } from './in-memory-trigger-state-repository.js';
import { TriggerEngine, type TriggerProfileLookup } from './trigger-engine.js';
import type { CompiledTriggers, JsonObject, ProfileEvent } from './trigger-types.js';

/** Shared by the trigger tests only. */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** A Wednesday noon UTC: afternoon in Berlin, morning in New York, outside any quiet hours used here. */
export const T0 = Date.parse('2026-06-10T12:00:00Z');

export function compile(section: unknown): CompiledTriggers {
  return compileTriggers(TriggersSection.parse(section));
}

let sequence = 0;
export function track(profileId: string, name: string, timestamp: number, properties: JsonObject = {}, messageId?: string): ProfileEvent {
  return { profileId, event: { messageId: messageId ?? `m-${++sequence}`, type: 'track', event: name, timestamp, properties } };
}

export function consenting(overrides: Partial<TriggerProfile> = {}): TriggerProfile {
  return { timeZone: 'UTC', consent: { marketing: true }, suppressed: false, traits: { email: 'shopper@example.com' }, ...overrides };
}

/** Every profile consents to marketing unless listed otherwise. */
export function profileLookup(overrides: Record<string, Partial<TriggerProfile> | undefined> = {}): TriggerProfileLookup {
  return {
    lookup(profileIds) {
      return Promise.resolve(new Map(profileIds.map((id) => [id, consenting(overrides[id] ?? {})])));
    },
  };
}

export interface ManualClock {
  now: () => number;
  set(time: number): void;
}

export function manualClock(start: number): ManualClock {
  let current = start;
  return { now: () => current, set: (time) => (current = time) };
}

export function engineFor(triggers: CompiledTriggers, options: { profiles?: TriggerProfileLookup; clock?: ManualClock; repository?: InMemoryTriggerStateRepository } = {}) {
  const repository = options.repository ?? new InMemoryTriggerStateRepository({ keepHeld: true, clone: true });
  // The wall clock far ahead: these tests drive time with event times and advanceTo.
  const clock = options.clock ?? manualClock(Date.parse('2030-01-01T00:00:00Z'));
  const engine = new TriggerEngine({ triggers, repository, profiles: options.profiles ?? profileLookup(), now: clock.now });
  return { engine, repository, clock };
}

export const HUBSPOT_EVENT = { sink: 'hubspot', kind: 'hubspot:event', target: 'pe_cart_abandoned', payload: { cart_id: 'event.properties.cart_id', email: 'profile.traits.email' } };
export const MARKETO_CAMPAIGN = { sink: 'marketo', kind: 'marketo:campaign', target: '1234', payload: { cart: 'match.key' } };
