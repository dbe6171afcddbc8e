import type { JsonValue } from '../../../core/events/canonical-event.js';

const DAY_MS = 86_400_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The source's cursor: the first day not yet fully read. Days are the unit
 * because one export request covers whole UTC days (`from_date`/`to_date`
 * are inclusive dates), so a day is either committed whole or read again.
 * The project id is kept so a cursor is never reused against another project.
 */
export interface MixpanelCursor {
  mixpanel: 1;
  projectId: string;
  /** yyyy-mm-dd: every day before it was read to the end at least once. */
  next: string;
}

/** yyyy-mm-dd of an epoch-ms instant, in UTC. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isCalendarDay(text: string): boolean {
  const match = DAY.exec(text);
  if (!match) return false;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Date.UTC rolls 2026-02-30 over to March: a real day survives the round trip.
  return Number.isFinite(ms) && utcDay(ms) === text;
}

export function addDays(day: string, days: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/** Later of two yyyy-mm-dd days (they compare as strings). */
export function laterDay(a: string, b: string): string {
  return a > b ? a : b;
}

/** `undefined`: no cursor yet (first run); `null`: a value that is not a Mixpanel cursor. */
export function parseMixpanelCursor(value: JsonValue | undefined): MixpanelCursor | null | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return null;
  const { mixpanel, projectId, next } = value;
  if (mixpanel !== 1 || typeof projectId !== 'string' || typeof next !== 'string' || !isCalendarDay(next)) return null;
  return { mixpanel: 1, projectId, next };
}

export interface DayPlanInput {
  fromDate: string;
  /** The stored cursor's `next`, when there is one. */
  next: string | undefined;
  /** Today in UTC (from the injected clock). */
  today: string;
  lookbackDays: number;
}

/**
 * The days this run requests, oldest first. Resume at the cursor, but never
 * later than `today − lookbackDays`: Mixpanel keeps accepting events for past
 * days (offline mobile batches, /import), so the recent days and today are
 * read again on every run and dedup absorbs the repeats. Never before
 * `fromDate`, never after today (the API refuses future dates).
 */
export function planDays(input: DayPlanInput): string[] {
  const lookbackStart = addDays(input.today, -input.lookbackDays);
  let start = input.next === undefined ? input.fromDate : input.next < lookbackStart ? input.next : lookbackStart;
  if (start < input.fromDate) start = input.fromDate;
  const days: string[] = [];
  for (let day = start; day <= input.today; day = addDays(day, 1)) days.push(day);
  return days;
}
