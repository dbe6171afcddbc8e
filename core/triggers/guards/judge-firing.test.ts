import { describe, expect, it } from 'vitest';
import { emptyGuardState, type TriggerProfile } from './guard-types.js';
import { frequencyCapAllows, judgeFiring, recordSent } from './judge-firing.js';

const HOUR = 3_600_000;
const SETTINGS = { frequencyCap: { max: 2, perMs: 24 * HOUR }, quietHours: { startMinute: 21 * 60, endMinute: 8 * 60, defaultTimeZone: 'UTC' } };
const PROFILE: TriggerProfile = { timeZone: 'UTC', consent: { marketing: true }, suppressed: false, traits: {} };
const NOON = Date.parse('2026-06-10T12:00:00Z');
const firing = (at: number, cooldownMs = 0) => ({ triggerId: 't1', purpose: 'marketing', cooldownMs, at });

describe('guards as pure functions', () => {
  it('gives the most telling reason first: suppressed, then consent, then cooldown, then quiet hours', () => {
    const guards = recordSent(emptyGuardState(), SETTINGS, 't1', NOON - HOUR, 1);
    const night = Date.parse('2026-06-10T22:00:00Z');
    expect(judgeFiring(firing(night, 2 * HOUR), { ...PROFILE, suppressed: true, consent: {} }, guards, SETTINGS)).toEqual({ verdict: 'hold', reason: 'suppressed' });
    expect(judgeFiring(firing(NOON, 2 * HOUR), { ...PROFILE, consent: { marketing: false } }, guards, SETTINGS)).toEqual({ verdict: 'hold', reason: 'no_consent' });
    expect(judgeFiring(firing(NOON, 2 * HOUR), undefined, guards, SETTINGS)).toEqual({ verdict: 'hold', reason: 'no_consent' });
    expect(judgeFiring(firing(NOON, 2 * HOUR), PROFILE, guards, SETTINGS)).toEqual({ verdict: 'hold', reason: 'cooldown' });
    expect(judgeFiring(firing(NOON + HOUR, 2 * HOUR), PROFILE, guards, SETTINGS)).toEqual({ verdict: 'send' });
    expect(judgeFiring(firing(night), PROFILE, guards, SETTINGS)).toEqual({ verdict: 'defer', until: Date.parse('2026-06-11T08:00:00Z') });
  });

  it('counts every action in a sliding window for the cap', () => {
    let guards = emptyGuardState();
    guards = recordSent(guards, SETTINGS, 'a', NOON, 1);
    guards = recordSent(guards, SETTINGS, 'b', NOON + HOUR, 1);
    expect(frequencyCapAllows(guards, SETTINGS, NOON + 2 * HOUR)).toBe(false);
    expect(frequencyCapAllows(guards, SETTINGS, NOON + 24 * HOUR)).toBe(true); // the first left the window
    expect(frequencyCapAllows(guards, { ...SETTINGS, frequencyCap: undefined }, NOON + 2 * HOUR)).toBe(true);
  });
});
