import { describe, expect, it } from 'vitest';
import { countSlots, decideOnStart, latestSlot, nextSlot, parseJobMemory } from './cron-schedule.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const hourly = { cron: '0 * * * *', timezone: 'UTC' };
const mondayBerlin = { cron: '0 3 * * 1', timezone: 'Europe/Berlin' };

describe('cron slots (croner, pure)', () => {
  it('finds the next slot in the schedule\'s time zone', () => {
    // Sunday 2026-11-29 noon UTC → Monday 03:00 in Berlin (CET, UTC+1) = 02:00Z.
    expect(iso(nextSlot(mondayBerlin, at('2026-11-29T12:00:00Z')))).toBe('2026-11-30T02:00:00.000Z');
    expect(iso(nextSlot(hourly, at('2026-11-29T12:00:00Z')))).toBe('2026-11-29T13:00:00.000Z');
  });

  it('follows DST: a daily 03:00 job in Berlin moves from 02:00Z to 01:00Z the night clocks spring forward', () => {
    const daily = { cron: '0 3 * * *', timezone: 'Europe/Berlin' };
    expect(iso(nextSlot(daily, at('2026-03-27T12:00:00Z')))).toBe('2026-03-28T02:00:00.000Z');
    expect(iso(nextSlot(daily, at('2026-03-28T12:00:00Z')))).toBe('2026-03-29T01:00:00.000Z');
  });

  it('counts a slot exactly at the reference as the latest slot (a timer fires on it)', () => {
    expect(iso(latestSlot(hourly, at('2026-11-29T13:00:00Z')))).toBe('2026-11-29T13:00:00.000Z');
    expect(iso(latestSlot(hourly, at('2026-11-29T13:59:59.900Z')))).toBe('2026-11-29T13:00:00.000Z');
  });

  it('counts slots in (from, through]', () => {
    expect(countSlots(hourly, at('2026-11-29T10:00:00Z'), at('2026-11-29T13:00:00Z'))).toBe(3);
    expect(countSlots(hourly, at('2026-11-29T10:00:00Z'), at('2026-11-29T10:30:00Z'))).toBe(0);
  });
});

describe('runs missed while the server was down', () => {
  const memory = { since: at('2026-11-01T00:00:00Z'), coveredThrough: at('2026-11-29T10:00:00Z') };
  const now = at('2026-11-29T13:20:00Z');

  it('run_once: one catch-up for the latest missed slot, however many were missed', () => {
    expect(decideOnStart(hourly, memory, 'run_once', now)).toEqual({ action: 'catch_up', slot: at('2026-11-29T13:00:00Z'), missed: 3 });
  });

  it('skip: nothing runs; the missed slots are reported', () => {
    expect(decideOnStart(hourly, memory, 'skip', now)).toEqual({ action: 'skip_missed', slot: at('2026-11-29T13:00:00Z'), missed: 3 });
  });

  it('nothing missed when the last covered slot is the latest one', () => {
    expect(decideOnStart(hourly, { ...memory, coveredThrough: at('2026-11-29T13:00:00Z') }, 'run_once', now)).toEqual({ action: 'none' });
  });

  it('a job never scheduled before owes nothing; one scheduled but never run owes the slots since then', () => {
    expect(decideOnStart(hourly, undefined, 'run_once', now)).toEqual({ action: 'none' });
    expect(decideOnStart(hourly, { since: at('2026-11-29T11:30:00Z') }, 'run_once', now)).toMatchObject({ action: 'catch_up', missed: 2 });
  });

  it('reads back what it stored, and ignores what it cannot read', () => {
    expect(parseJobMemory(JSON.stringify(memory))).toEqual(memory);
    expect(parseJobMemory('not json')).toBeUndefined();
    expect(parseJobMemory(undefined)).toBeUndefined();
  });
});
