import type { JsonObject } from '../trigger-types.js';

/** Why an action was not sent (now). `quiet_hours_deferred` is the only one that comes back later. */
export type HoldReason = 'cooldown' | 'frequency_cap' | 'quiet_hours_deferred' | 'no_consent' | 'suppressed' | 'too_late';
export const HOLD_REASONS: readonly HoldReason[] = ['cooldown', 'frequency_cap', 'quiet_hours_deferred', 'no_consent', 'suppressed', 'too_late'];

/** What the guards need to know of a profile, looked up at send time. */
export interface TriggerProfile {
  /** IANA time zone; unknown or absent → quiet_hours.default_timezone. */
  timeZone: string | undefined;
  /** Purpose (consent category) → granted. A purpose not listed is not granted: consent fails closed. */
  consent: Readonly<Record<string, boolean>>;
  /** Erased or opted out: never fires, whatever the consent says. */
  suppressed: boolean;
  /** For `profile.traits.*` in payloads. */
  traits: JsonObject;
}

/** Per-profile guard memory, kept in the profile's trigger state (same row, same transaction). */
export interface GuardState {
  /** Trigger id → event time of its last firing that sent at least one action. */
  lastSentAt: Record<string, number>;
  /** Event times of sent actions inside the frequency-cap window, oldest first. */
  sentAt: number[];
}

export function emptyGuardState(): GuardState {
  return { lastSentAt: {}, sentAt: [] };
}
