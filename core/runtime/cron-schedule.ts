import { Cron } from 'croner';
import { CRON_MODE } from '../config/serve-schema.js';

/**
 * Cron arithmetic for the scheduler, as pure functions of (pattern, time
 * zone, instants): croner computes the slots, nothing here reads a clock or
 * starts a timer, so "what is due" and "what was missed" are unit-tested
 * without waiting for a real minute.
 */
export interface CronSpec {
  cron: string;
  timezone: string;
}

/** A paused croner job: never fires, only answers questions about the pattern. */
function pattern(spec: CronSpec): Cron {
  return new Cron(spec.cron, { paused: true, mode: CRON_MODE, timezone: spec.timezone });
}

/** The first slot strictly after `after`, or null when the pattern has none. */
export function nextSlot(spec: CronSpec, after: number): number | null {
  return pattern(spec).nextRun(new Date(after))?.getTime() ?? null;
}

/** The latest slot at or before `at` (a slot exactly at `at` counts: a timer fires on it). */
export function latestSlot(spec: CronSpec, at: number): number | null {
  // previousRuns is exclusive of the reference's second; one second later includes a slot at `at`.
  return pattern(spec).previousRuns(1, new Date(Math.floor(at / 1000) * 1000 + 1000))[0]?.getTime() ?? null;
}

/** What one scheduled job remembers between server lives (state meta, JSON). */
export interface JobMemory {
  /** When the server first scheduled this job: slots before it were never owed. */
  since: number;
  /** The latest slot run or deliberately skipped. */
  coveredThrough?: number;
  lastRunAt?: number;
  lastResult?: ScheduledRunResult;
}

export type ScheduledRunResult = 'succeeded' | 'failed' | 'aborted' | 'skipped_overlap' | 'skipped_locked';

export type MissedPolicy = 'skip' | 'run_once';

export type StartDecision =
  | { action: 'none' }
  | { action: 'catch_up'; slot: number; missed: number }
  | { action: 'skip_missed'; slot: number; missed: number };

/** Counting stops here: "1000+ runs missed" says enough, and a `* * * * *` job down for a year stays cheap. */
const MISSED_COUNT_CAP = 1000;

/**
 * On start, for one job: were slots missed while the server was down, and
 * what does the policy do about them? `run_once` runs ONE catch-up for the
 * latest missed slot (a run recomputes everything, so running each missed
 * slot would only repeat work); `skip` runs nothing and waits for the next
 * slot. Either way the missed slots count as covered, so the next start does
 * not report them again.
 */
export function decideOnStart(spec: CronSpec, memory: JobMemory | undefined, policy: MissedPolicy, now: number): StartDecision {
  // Never scheduled before: nothing was owed yet.
  if (memory === undefined) return { action: 'none' };
  const from = Math.max(memory.since, memory.coveredThrough ?? memory.since);
  const latest = latestSlot(spec, now);
  if (latest === null || latest <= from) return { action: 'none' };
  const missed = countSlots(spec, from, latest);
  return policy === 'run_once' ? { action: 'catch_up', slot: latest, missed } : { action: 'skip_missed', slot: latest, missed };
}

/** Slots in (from, through], counted up to MISSED_COUNT_CAP. */
export function countSlots(spec: CronSpec, from: number, through: number): number {
  const cron = pattern(spec);
  let count = 0;
  let cursor: Date | null = new Date(from);
  while (count < MISSED_COUNT_CAP) {
    cursor = cron.nextRun(cursor);
    if (cursor === null || cursor.getTime() > through) break;
    count += 1;
  }
  return count;
}

export function parseJobMemory(text: string | undefined): JobMemory | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<JobMemory>;
    return typeof parsed.since === 'number' ? (parsed as JobMemory) : undefined;
  } catch {
    return undefined;
  }
}
