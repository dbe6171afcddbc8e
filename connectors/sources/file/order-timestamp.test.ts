import { describe, expect, it } from 'vitest';
import { createTimestampParser, parseTimestamp } from './order-timestamp.js';

describe('parseTimestamp', () => {
  it('reads ISO layouts in the configured offset unless the value has its own', () => {
    expect(parseTimestamp('2010-12-01 08:26:00', 'iso', 0)).toBe(Date.UTC(2010, 11, 1, 8, 26));
    expect(parseTimestamp('2010-12-01 08:26', 'iso', 60)).toBe(Date.UTC(2010, 11, 1, 7, 26));
    expect(parseTimestamp('2010-12-01T08:26:00.5Z', 'iso', 60)).toBe(Date.UTC(2010, 11, 1, 8, 26, 0, 500));
    expect(parseTimestamp('2010-12-01T08:26:00-05:00', 'iso', 0)).toBe(Date.UTC(2010, 11, 1, 13, 26));
    expect(parseTimestamp('2010-12-01', 'iso', 0)).toBe(Date.UTC(2010, 11, 1));
  });

  it('reads US and European day/month orders, with AM/PM for US', () => {
    expect(parseTimestamp('12/1/2010 8:26', 'us', 0)).toBe(Date.UTC(2010, 11, 1, 8, 26));
    expect(parseTimestamp('12/1/2010 12:05 AM', 'us', 0)).toBe(Date.UTC(2010, 11, 1, 0, 5));
    expect(parseTimestamp('12/1/2010 1:05 pm', 'us', 0)).toBe(Date.UTC(2010, 11, 1, 13, 5));
    expect(parseTimestamp('1/12/2010 8:26', 'eu', 0)).toBe(Date.UTC(2010, 11, 1, 8, 26));
    expect(parseTimestamp('01.12.2010 08:26:30', 'eu', -60)).toBe(Date.UTC(2010, 11, 1, 9, 26, 30));
  });

  it('refuses impossible dates and other layouts instead of guessing', () => {
    for (const [text, format] of [
      ['2011-02-29 10:00', 'iso'],
      ['2010-13-45 10:00:00', 'iso'],
      ['2010-12-01 24:00', 'iso'],
      ['12/1/2010 8:26', 'iso'],
      ['13/1/2010 8:26', 'us'],
      ['2010-12-01 08:26', 'eu'],
      ['12/1/2010 13:00 PM', 'us'],
      ['', 'iso'],
    ] as const) {
      expect(parseTimestamp(text, format, 0), `${format} ${text}`).toBeNull();
    }
    expect(parseTimestamp('2012-02-29 10:00', 'iso', 0)).toBe(Date.UTC(2012, 1, 29, 10));
  });

  it('caches the last value (order lines repeat it) without mixing values up', () => {
    const parse = createTimestampParser('iso', 0);
    expect(parse('2010-12-01 08:26:00')).toBe(parse(' 2010-12-01 08:26:00 '));
    expect(parse('bad')).toBeNull();
    expect(parse('2010-12-01 08:27:00')).toBe(Date.UTC(2010, 11, 1, 8, 27));
  });
});
