import { describe, expect, it } from 'vitest';
import { quietHoursEnd } from './quiet-hours.js';

const QUIET = { startMinute: 21 * 60, endMinute: 8 * 60, defaultTimeZone: 'UTC' };
const at = (iso: string) => Date.parse(iso);
const endOf = (iso: string, zone: string) => {
  const end = quietHoursEnd(QUIET, at(iso), zone);
  return end === undefined ? undefined : new Date(end).toISOString();
};

describe('quiet hours in the profile time zone', () => {
  it('defers to 08:00 local, also on the nights clocks change in Berlin', () => {
    // 22:00 CET the night clocks go forward: 08:00 CEST is 9 hours away, not 10.
    expect(endOf('2026-03-28T21:00:00Z', 'Europe/Berlin')).toBe('2026-03-29T06:00:00.000Z');
    // 22:00 CEST the night clocks go back: 08:00 CET is 11 hours away.
    expect(endOf('2026-10-24T20:00:00Z', 'Europe/Berlin')).toBe('2026-10-25T07:00:00.000Z');
    // An ordinary night for comparison.
    expect(endOf('2026-06-10T20:00:00Z', 'Europe/Berlin')).toBe('2026-06-11T06:00:00.000Z');
  });

  it('defers to 08:00 local across the March and November switches in New York', () => {
    expect(endOf('2026-03-08T03:00:00Z', 'America/New_York')).toBe('2026-03-08T12:00:00.000Z'); // 22:00 EST → 08:00 EDT
    expect(endOf('2026-11-01T02:00:00Z', 'America/New_York')).toBe('2026-11-01T13:00:00.000Z'); // 22:00 EDT → 08:00 EST
    // 01:30 in the hour that happens twice, both times: still quiet, same end.
    expect(endOf('2026-11-01T05:30:00Z', 'America/New_York')).toBe('2026-11-01T13:00:00.000Z');
    expect(endOf('2026-11-01T06:30:00Z', 'America/New_York')).toBe('2026-11-01T13:00:00.000Z');
    // 03:30 EDT, just after the skipped hour.
    expect(endOf('2026-03-08T07:30:00Z', 'America/New_York')).toBe('2026-03-08T12:00:00.000Z');
  });

  it('judges by the profile zone: the same instant is quiet in Berlin and not in New York', () => {
    const instant = '2026-03-28T21:30:00Z'; // 22:30 in Berlin, 17:30 in New York
    expect(endOf(instant, 'Europe/Berlin')).toBeDefined();
    expect(endOf(instant, 'America/New_York')).toBeUndefined();
  });

  it('has half-open bounds and falls back to the default zone for an unknown one', () => {
    expect(endOf('2026-06-10T08:00:00Z', 'UTC')).toBeUndefined();
    expect(endOf('2026-06-10T07:59:00Z', 'UTC')).toBe('2026-06-10T08:00:00.000Z');
    expect(endOf('2026-06-10T21:00:00Z', 'UTC')).toBe('2026-06-11T08:00:00.000Z');
    expect(endOf('2026-06-10T22:00:00Z', 'Mars/Olympus_Mons')).toBe('2026-06-11T08:00:00.000Z');
  });

  it('handles a daytime window (start before end)', () => {
    const lunch = { startMinute: 12 * 60, endMinute: 14 * 60, defaultTimeZone: 'UTC' };
    expect(new Date(quietHoursEnd(lunch, at('2026-06-10T13:00:00Z'), 'UTC') as number).toISOString()).toBe('2026-06-10T14:00:00.000Z');
    expect(quietHoursEnd(lunch, at('2026-06-10T15:00:00Z'), 'UTC')).toBeUndefined();
  });
});
