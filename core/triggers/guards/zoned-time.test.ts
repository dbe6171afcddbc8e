import { describe, expect, it } from 'vitest';
import { instantOfWallTime, offsetAt, wallTimeAt } from './zoned-time.js';

const HOUR = 3_600_000;

describe('zoned time', () => {
  it('reads the offset of the instant, not of today', () => {
    expect(offsetAt(Date.parse('2026-03-29T00:30:00Z'), 'Europe/Berlin')).toBe(1 * HOUR);
    expect(offsetAt(Date.parse('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toBe(2 * HOUR);
    expect(offsetAt(Date.parse('2026-11-01T05:30:00Z'), 'America/New_York')).toBe(-4 * HOUR);
    expect(offsetAt(Date.parse('2026-11-01T06:30:00Z'), 'America/New_York')).toBe(-5 * HOUR);
  });

  it('round-trips ordinary wall times', () => {
    const instant = instantOfWallTime({ year: 2026, month: 7, day: 1, hour: 8, minute: 0 }, 'America/New_York');
    expect(new Date(instant).toISOString()).toBe('2026-07-01T12:00:00.000Z');
    expect(wallTimeAt(instant, 'America/New_York')).toMatchObject({ hour: 8, minute: 0, day: 1 });
  });

  it('resolves a repeated hour to its first occurrence and a skipped one past the gap', () => {
    const repeated = instantOfWallTime({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York');
    expect(new Date(repeated).toISOString()).toBe('2026-11-01T05:30:00.000Z');
    const skipped = instantOfWallTime({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Berlin');
    expect(new Date(skipped).toISOString()).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
  });
});
