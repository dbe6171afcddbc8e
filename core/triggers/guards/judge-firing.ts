import type { GuardSettings } from '../trigger-types.js';
import type { GuardState, HoldReason, TriggerProfile } from './guard-types.js';
import { quietHoursEnd } from './quiet-hours.js';

/**
 * The guards that apply to a firing as a whole, in the order that makes the
 * reasons honest: a suppressed profile is "suppressed" even when it also has
 * no consent, and a firing in cooldown is not "deferred" to be dropped later.
 * Everything is judged at `at` on the event clock, so a dry run over history
 * decides exactly what the live run decided.
 */
export type FiringVerdict = { verdict: 'send' } | { verdict: 'hold'; reason: HoldReason } | { verdict: 'defer'; until: number };

export interface FiringToJudge {
  triggerId: string;
  purpose: string;
  cooldownMs: number;
  at: number;
}

export function judgeFiring(firing: FiringToJudge, profile: TriggerProfile | undefined, guards: GuardState, settings: GuardSettings): FiringVerdict {
  if (profile?.suppressed === true) return { verdict: 'hold', reason: 'suppressed' };
  if (profile?.consent[firing.purpose] !== true) return { verdict: 'hold', reason: 'no_consent' };
  if (inCooldown(guards, firing)) return { verdict: 'hold', reason: 'cooldown' };
  if (settings.quietHours !== undefined) {
    const until = quietHoursEnd(settings.quietHours, firing.at, profile.timeZone);
    if (until !== undefined) return { verdict: 'defer', until };
  }
  return { verdict: 'send' };
}

function inCooldown(guards: GuardState, firing: FiringToJudge): boolean {
  const last = guards.lastSentAt[firing.triggerId];
  return last !== undefined && firing.cooldownMs > 0 && firing.at < last + firing.cooldownMs;
}

/**
 * The global cap counts every action, over all triggers and sinks: "at most
 * 2 marketing actions a day" means two messages reach the person, whichever
 * flows and vendors they come from.
 */
export function frequencyCapAllows(guards: GuardState, settings: GuardSettings, at: number): boolean {
  const cap = settings.frequencyCap;
  if (cap === undefined) return true;
  const inWindow = guards.sentAt.filter((time) => time > at - cap.perMs && time <= at).length;
  return inWindow < cap.max;
}

/** Remembers sent actions; keeps only what the cap window can still see. */
export function recordSent(guards: GuardState, settings: GuardSettings, triggerId: string, at: number, actions: number): GuardState {
  if (actions === 0) return guards;
  const cap = settings.frequencyCap;
  const horizon = cap === undefined ? Number.POSITIVE_INFINITY : at - cap.perMs;
  const sentAt = cap === undefined ? [] : [...guards.sentAt.filter((time) => time > horizon), ...Array.from({ length: actions }, () => at)].sort((left, right) => left - right);
  const previous = guards.lastSentAt[triggerId];
  return { lastSentAt: { ...guards.lastSentAt, [triggerId]: previous === undefined ? at : Math.max(previous, at) }, sentAt };
}
