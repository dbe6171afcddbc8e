import { describe, expect, it } from 'vitest';
import { planTables, type PlanInput } from './ga4-read-plan.js';

const DATASET = 'shop:analytics_1';
const tables = ['events_20240101', 'events_20240102', 'events_20240103', 'events_20240104', 'events_20240105', 'events_intraday_20240106', 'pseudonymous_users_20240105'];
const input = (overrides: Partial<PlanInput>): PlanInput => ({
  dataset: DATASET, tables, cursor: null, startDay: '20240101', lateDays: 3, intraday: false, now: Date.parse('2024-01-06T08:00:00Z'), ...overrides,
});
const names = (plan: ReturnType<typeof planTables>) => plan.map((table) => `${table.table}${table.reread ? ' (again)' : ''}`);

describe('GA4 read plan', () => {
  it('reads every daily table from start_date in date order the first time, ignoring other tables', () => {
    const plan = planTables(input({ startDay: '20240102' }));
    expect(names(plan)).toEqual(['events_20240102', 'events_20240103', 'events_20240104', 'events_20240105']);
    expect(plan.map((table) => table.cursorAfter.complete)).toEqual(['20240102', '20240103', '20240104', '20240105']);
    expect(plan[0]!.cursorBefore.complete).toBeNull();
  });

  it('reads again the days still inside the late window, and new days after the cursor', () => {
    const plan = planTables(input({ cursor: { dataset: DATASET, complete: '20240104' } }));
    // today 2024-01-06, late_days 3: 0103 and 0104 may still change; 0101–0102 are final.
    expect(names(plan)).toEqual(['events_20240103 (again)', 'events_20240104 (again)', 'events_20240105']);
    // A re-read day never moves the cursor back.
    expect(plan.map((table) => table.cursorAfter.complete)).toEqual(['20240104', '20240104', '20240105']);
  });

  it('reads nothing again once the late window has passed (a run weeks later)', () => {
    const plan = planTables(input({ cursor: { dataset: DATASET, complete: '20240105' }, now: Date.parse('2024-02-01T00:00:00Z') }));
    expect(plan).toEqual([]);
  });

  it('late_days 0 reads only new days', () => {
    expect(names(planTables(input({ cursor: { dataset: DATASET, complete: '20240104' }, lateDays: 0 })))).toEqual(['events_20240105']);
  });

  it('reads intraday tables only for days without a daily table, without moving the cursor', () => {
    const plan = planTables(input({ intraday: true, tables: [...tables, 'events_intraday_20240105'] }));
    expect(names(plan).slice(-1)).toEqual(['events_intraday_20240106']);
    expect(plan.at(-1)!.cursorAfter.complete).toBe('20240105');
  });

  it('skips a day with no table (an export gap) and carries on', () => {
    const plan = planTables(input({ tables: ['events_20240101', 'events_20240103'] }));
    expect(names(plan)).toEqual(['events_20240101', 'events_20240103']);
  });
});
