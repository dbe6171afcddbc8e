import { z } from 'zod';
import type { JsonValue } from '../../../core/events/canonical-event.js';

/**
 * Which export tables a run reads, in which order, and what cursor each one
 * leaves. Pure: the table names come from tables.list, today from the clock.
 *
 * The cursor is the last daily table read to its end (`complete`). A run reads
 * every daily table after it, and again those on or after `today − late_days`
 * (GA4 keeps adding late events to a daily table for up to 72 h; the store
 * drops the events it already has by messageId). Days are compared as the
 * tables' YYYYMMDD (property time zone) against the UTC date: a property far
 * west of UTC may want one more late day.
 *
 * Intraday tables are read for days after the last daily table only, and
 * never move the cursor: a day is complete when its daily table is read.
 */
export interface Ga4Cursor {
  /** `project.dataset` the cursor belongs to. */
  dataset: string;
  /** YYYYMMDD of the last daily table read completely, or null before the first. */
  complete: string | null;
}

export interface PlannedTable {
  table: string;
  day: string;
  kind: 'daily' | 'intraday';
  /** Already read by an earlier run: read again for late events. */
  reread: boolean;
  /** The cursor before this table: what a checkpoint inside it carries. */
  cursorBefore: Ga4Cursor;
  /** The cursor once this table is read to its end. */
  cursorAfter: Ga4Cursor;
}

export interface PlanInput {
  dataset: string;
  tables: readonly string[];
  cursor: Ga4Cursor | null;
  startDay: string;
  lateDays: number;
  intraday: boolean;
  now: number;
}

const DAILY = /^events_(\d{8})$/;
const INTRADAY = /^events_intraday_(\d{8})$/;

export function planTables(input: PlanInput): PlannedTable[] {
  const daysOf = (pattern: RegExp) =>
    input.tables.flatMap((table) => {
      const day = pattern.exec(table)?.[1];
      return day !== undefined && day >= input.startDay ? [day] : [];
    }).sort();
  const daily = daysOf(DAILY);
  const complete = input.cursor?.complete ?? null;
  const lateFrom = addDays(utcDay(input.now), -input.lateDays);
  const plan: PlannedTable[] = [];
  let cursor: Ga4Cursor = { dataset: input.dataset, complete };
  for (const day of daily) {
    const reread = complete !== null && day <= complete;
    if (reread && day < lateFrom) continue;
    const before = cursor;
    cursor = { dataset: input.dataset, complete: complete !== null && complete > day ? complete : day };
    plan.push({ table: `events_${day}`, day, kind: 'daily', reread, cursorBefore: before, cursorAfter: cursor });
  }
  if (input.intraday) {
    const lastDaily = [complete, daily.at(-1) ?? null].reduce<string | null>((max, day) => (day !== null && (max === null || day > max) ? day : max), null);
    for (const day of daysOf(INTRADAY)) {
      if (lastDaily !== null && day <= lastDaily) continue;
      plan.push({ table: `events_intraday_${day}`, day, kind: 'intraday', reread: false, cursorBefore: cursor, cursorAfter: cursor });
    }
  }
  return plan;
}

const CursorSchema = z.object({ ga4: z.literal('bigquery'), dataset: z.string(), complete: z.string().regex(/^\d{8}$/).nullable() });

export function encodeCursor(cursor: Ga4Cursor): JsonValue {
  return { ga4: 'bigquery', dataset: cursor.dataset, complete: cursor.complete };
}

/** undefined/null: never read. Returns 'foreign' for a cursor of another connector. */
export function decodeCursor(value: JsonValue | undefined): Ga4Cursor | null | 'foreign' {
  if (value === undefined || value === null) return null;
  const parsed = CursorSchema.safeParse(value);
  return parsed.success ? { dataset: parsed.data.dataset, complete: parsed.data.complete } : 'foreign';
}

/** The UTC calendar day of an epoch-ms instant, as YYYYMMDD. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
}

export function addDays(day: string, days: number): string {
  const ms = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8))) + days * 86_400_000;
  return utcDay(ms);
}
