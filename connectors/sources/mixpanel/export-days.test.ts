import { describe, expect, it } from 'vitest';
import { addDays, isCalendarDay, parseMixpanelCursor, planDays, utcDay } from './export-days.js';

describe('export days', () => {
  it('reads from from_date to today on the first run', () => {
    expect(planDays({ fromDate: '2026-02-27', next: undefined, today: '2026-03-02', lookbackDays: 2 })).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
  });

  it('resumes at the cursor when it is older than the lookback window', () => {
    expect(planDays({ fromDate: '2026-01-01', next: '2026-02-25', today: '2026-03-01', lookbackDays: 1 })).toEqual(['2026-02-25', '2026-02-26', '2026-02-27', '2026-02-28', '2026-03-01']);
  });

  it('re-reads today and the lookback days even when the cursor is past them', () => {
    expect(planDays({ fromDate: '2026-01-01', next: '2026-03-02', today: '2026-03-01', lookbackDays: 2 })).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(planDays({ fromDate: '2026-01-01', next: '2026-03-02', today: '2026-03-01', lookbackDays: 0 })).toEqual(['2026-03-01']);
  });

  it('never reads before from_date nor after today', () => {
    expect(planDays({ fromDate: '2026-03-01', next: '2026-03-02', today: '2026-03-01', lookbackDays: 5 })).toEqual(['2026-03-01']);
    expect(planDays({ fromDate: '2026-04-01', next: undefined, today: '2026-03-01', lookbackDays: 2 })).toEqual([]);
  });

  it('does calendar arithmetic in UTC', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(utcDay(Date.parse('2026-03-01T23:59:59.999Z'))).toBe('2026-03-01');
    expect(isCalendarDay('2026-02-29')).toBe(false);
    expect(isCalendarDay('2026-13-01')).toBe(false);
    expect(isCalendarDay('2028-02-29')).toBe(true);
  });

  it('parses only its own cursor', () => {
    expect(parseMixpanelCursor(undefined)).toBeUndefined();
    expect(parseMixpanelCursor({ mixpanel: 1, projectId: '1', next: '2026-03-01' })).toEqual({ mixpanel: 1, projectId: '1', next: '2026-03-01' });
    expect(parseMixpanelCursor({ files: {} })).toBeNull();
    expect(parseMixpanelCursor({ mixpanel: 1, projectId: '1', next: '2026-02-30' })).toBeNull();
    expect(parseMixpanelCursor('2026-03-01')).toBeNull();
  });
});
