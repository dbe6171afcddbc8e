import { describe, expect, it } from 'vitest';
import { denseSeries } from './daily-series.js';

const at = (iso: string): number => Date.parse(iso);

describe('denseSeries', () => {
  it('sums per UTC day and fills missing days with 0', () => {
    const series = denseSeries([
      { timestamp: at('2011-01-03T23:59:59Z'), value: 2 },
      { timestamp: at('2011-01-03T00:00:00Z'), value: 1 },
      { timestamp: at('2011-01-06T12:00:00Z'), value: 5 },
      { timestamp: at('2011-01-04T00:00:00Z'), value: 0.5 },
    ]);
    expect(series.start).toBe(at('2011-01-03T00:00:00Z'));
    expect([...series.values]).toEqual([3, 0.5, 0, 5]);
  });

  it('uses UTC, not the local time zone, for day boundaries', () => {
    // 23:30 at UTC−5 on the 3rd is 04:30 UTC on the 4th.
    const series = denseSeries([{ timestamp: at('2011-01-03T23:30:00-05:00'), value: 1 }], { from: at('2011-01-03T10:00:00Z') });
    expect(series.start).toBe(at('2011-01-03T00:00:00Z'));
    expect([...series.values]).toEqual([0, 1]);
  });

  it('buckets weeks from Monday 00:00 UTC', () => {
    const series = denseSeries(
      [
        { timestamp: at('2011-12-04T23:00:00Z'), value: 1 }, // Sunday → week of Mon 28 Nov
        { timestamp: at('2011-12-05T00:00:00Z'), value: 2 }, // Monday
        { timestamp: at('2011-12-20T00:00:00Z'), value: 4 },
      ],
      { interval: 'week' },
    );
    expect(new Date(series.start).toISOString()).toBe('2011-11-28T00:00:00.000Z');
    expect([...series.values]).toEqual([1, 2, 0, 4]);
  });

  it('extends the range to injected bounds and handles no points', () => {
    const series = denseSeries([{ timestamp: at('2011-01-02T05:00:00Z'), value: 1 }], { to: at('2011-01-04T01:00:00Z') });
    expect([...series.values]).toEqual([1, 0, 0]);
    expect(denseSeries([]).values).toHaveLength(0);
  });

  it('says which point is invalid', () => {
    expect(() => denseSeries([{ timestamp: 0, value: 1 }, { timestamp: Number.NaN, value: 1 }])).toThrow('point 1 has timestamp NaN');
  });
});
