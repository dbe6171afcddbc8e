import { keyOf, matchesEvent, snapshotEvent } from '../event-matcher.js';
import type { DefinitionOf, FieldSnapshot, Firing, KindContext, KindStep, TimerRequest, TriggerEvent, TriggerInput } from '../trigger-types.js';
import { anyBetween, insertSorted } from './sorted-times.js';
import { NOTHING } from './no-change.js';
import { copyRecord, emptyRecord, withEntry } from './keyed-record.js';

/**
 * Absence: one of `after`, then no `absent` within T (abandoned cart). A wait
 * counts from the FIRST event that opened it ("delays count from the step's
 * start"), so a shopper adding five products does not push the email back.
 * Everything is decided on event time, so a late `absent` (an Order Completed
 * that arrives after a later page view but happened inside the window) still
 * cancels a wait whose timer has not fired, and a late `after` that happened
 * before an already-seen `absent` does not open a wait at all.
 */
export interface AbsenceWait {
  startedAt: number;
  dueAt: number;
  timerId: string;
  fields: FieldSnapshot;
}

export interface AbsenceState {
  waits: Record<string, AbsenceWait[]>;
  /** Times of `absent` events not older than the watermark, per key ('*': the event had no key). */
  absentSeen: Record<string, number[]>;
}

type Definition = DefinitionOf<'absence'>;
const ANY_KEY = '*';
const MAX_ABSENT_SEEN = 32;

export function absenceInitialState(): AbsenceState {
  return { waits: {}, absentSeen: {} };
}

export function absenceRelevant(definition: Definition, event: TriggerEvent): boolean {
  return matchesEvent(definition.after, event) || matchesEvent(definition.absent, event);
}

export function absenceStep(definition: Definition, state: AbsenceState, input: TriggerInput, context: KindContext): KindStep<AbsenceState> {
  const pruned = pruneAbsentSeen(state, context.watermark);
  if (input.type === 'timer') return onTimer(pruned, input.timerId, input.dueAt);
  if (input.type !== 'event') return { state: pruned, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
  const { event } = input;
  // An event can be both (rare, but then it is an answer, not a new question).
  if (matchesEvent(definition.absent, event)) return onAbsent(definition, pruned, event);
  if (matchesEvent(definition.after, event)) return onAfter(definition, pruned, event);
  return { state: pruned, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
}

function onAbsent(definition: Definition, state: AbsenceState, event: TriggerEvent): KindStep<AbsenceState> {
  const key = keyOf(event, definition.key) ?? ANY_KEY;
  const time = event.timestamp;
  const waits = copyRecord(state.waits);
  const cancelTimers: string[] = [];
  for (const candidate of key === ANY_KEY ? Object.keys(waits) : [key]) {
    const list = waits[candidate];
    if (list === undefined) continue;
    const kept = list.filter((wait) => {
      const answered = wait.startedAt <= time && time <= wait.dueAt;
      if (answered) cancelTimers.push(wait.timerId);
      return !answered;
    });
    if (kept.length === 0) delete waits[candidate];
    else waits[candidate] = kept;
  }
  const seen = [...(state.absentSeen[key] ?? []), time].slice(-MAX_ABSENT_SEEN);
  return { state: { waits, absentSeen: withEntry(state.absentSeen, key, seen) }, firings: NOTHING, setTimers: NOTHING, cancelTimers };
}

function onAfter(definition: Definition, state: AbsenceState, event: TriggerEvent): KindStep<AbsenceState> {
  const key = keyOf(event, definition.key);
  if (key === undefined) return { state, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
  const time = event.timestamp;
  const dueAt = time + definition.withinMs;
  const answeredForKey = state.absentSeen[key];
  const answeredForAny = state.absentSeen[ANY_KEY];
  if ((answeredForKey !== undefined && anyBetween(answeredForKey, time, dueAt, true)) || (answeredForAny !== undefined && anyBetween(answeredForAny, time, dueAt, true))) {
    return { state, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
  }
  const list = state.waits[key] ?? [];
  if (list.some((wait) => wait.startedAt <= time && time <= wait.dueAt)) return { state, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
  const fields = snapshotEvent(event, definition.eventPaths);
  const timerId = `${time}|${key}`;
  const setTimers: TimerRequest[] = [{ id: timerId, dueAt }];
  // A late `after` that happened before an open wait started moves the wait's start back.
  const later = list.findIndex((wait) => wait.startedAt > time && wait.startedAt <= dueAt);
  const cancelTimers: string[] = later >= 0 ? [(list[later] as AbsenceWait).timerId] : [];
  // Inserted after every wait that started no later: what a stable sort of the appended list gives.
  const next = insertSorted(later >= 0 ? list.filter((_, index) => index !== later) : list, { startedAt: time, dueAt, timerId, fields }, startOf);
  return { state: { ...state, waits: withEntry(state.waits, key, next) }, firings: NOTHING, setTimers, cancelTimers };
}

function onTimer(state: AbsenceState, timerId: string, dueAt: number): KindStep<AbsenceState> {
  for (const [key, list] of Object.entries(state.waits)) {
    const wait = list.find((candidate) => candidate.timerId === timerId);
    if (wait === undefined) continue;
    const rest = list.filter((candidate) => candidate !== wait);
    const waits = copyRecord(state.waits);
    if (rest.length === 0) delete waits[key];
    else waits[key] = rest;
    const firing: Firing = { matchKey: key, anchorAt: wait.startedAt, occurredAt: dueAt, dueAt, fields: wait.fields };
    return { state: { ...state, waits }, firings: [firing], setTimers: NOTHING, cancelTimers: NOTHING };
  }
  return { state, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
}

const startOf = (wait: AbsenceWait): number => wait.startedAt;

/** An `absent` older than the watermark cannot answer a wait any more: only later `after` events can still arrive. */
function pruneAbsentSeen(state: AbsenceState, watermark: number): AbsenceState {
  // Runs on every event of the trigger: allocate only when something is actually dropped.
  let stale = false;
  for (const key in state.absentSeen) {
    if ((state.absentSeen[key] as number[]).some((time) => time < watermark)) {
      stale = true;
      break;
    }
  }
  if (!stale) return state;
  const absentSeen = emptyRecord<number[]>();
  for (const key in state.absentSeen) {
    const kept = (state.absentSeen[key] as number[]).filter((time) => time >= watermark);
    if (kept.length > 0) absentSeen[key] = kept;
  }
  return { ...state, absentSeen };
}
