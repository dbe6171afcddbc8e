import { keyOf, matchesEvent, snapshotEvent } from '../event-matcher.js';
import type { DefinitionOf, FieldSnapshot, Firing, KindContext, KindStep, TimerRequest, TriggerEvent, TriggerInput } from '../trigger-types.js';
import { anyBetween, insertSorted, latestAtOrBefore } from './sorted-times.js';

/**
 * Sequence: `first`, then `then` within T, with no `without` in between.
 * Every event type the pattern names is routed here (the Dittofeed fault was
 * to show a waiting journey only its entry event). "Without C" can be broken
 * by a C that happened before B but arrives after it, so a B is only judged
 * when the watermark passes its time: a timer due at B's event time, set when
 * B has a candidate A. That delays the action by at most the allowed
 * lateness and makes the outcome independent of arrival order.
 */
export interface SequenceThen {
  at: number;
  armed: boolean;
  fields: FieldSnapshot;
}

export interface SequenceKeyState {
  firsts: number[];
  withouts: number[];
  thens: SequenceThen[];
}

export interface SequenceState {
  keys: Record<string, SequenceKeyState>;
}

type Definition = DefinitionOf<'sequence'>;
const NONE: readonly string[] = [];

export function sequenceInitialState(): SequenceState {
  return { keys: {} };
}

export function sequenceRelevant(definition: Definition, event: TriggerEvent): boolean {
  return matchesEvent(definition.first, event) || matchesEvent(definition.then, event) || (definition.without !== undefined && matchesEvent(definition.without, event));
}

export function sequenceStep(definition: Definition, state: SequenceState, input: TriggerInput, context: KindContext): KindStep<SequenceState> {
  const pruned = prune(definition, state, context.watermark);
  if (input.type === 'timer') return onTimer(definition, pruned, input.timerId, input.dueAt);
  if (input.type !== 'event' || !sequenceRelevant(definition, input.event)) return { state: pruned, firings: [], setTimers: [], cancelTimers: NONE };
  const key = keyOf(input.event, definition.key);
  if (key === undefined) return { state: pruned, firings: [], setTimers: [], cancelTimers: NONE };
  const { event } = input;
  const time = event.timestamp;
  let entry: SequenceKeyState = pruned.keys[key] ?? { firsts: [], withouts: [], thens: [] };
  const setTimers: TimerRequest[] = [];
  if (definition.without !== undefined && matchesEvent(definition.without, event)) {
    entry = { ...entry, withouts: insertSorted(entry.withouts, time, (value) => value) };
  }
  if (matchesEvent(definition.then, event)) {
    const candidate = latestAtOrBefore(entry.firsts, time, true);
    const armed = candidate !== undefined && time - candidate <= definition.withinMs;
    if (armed) setTimers.push({ id: timerId(key, time), dueAt: time });
    const then: SequenceThen = { at: time, armed, fields: snapshotEvent(event, definition.eventPaths) };
    entry = { ...entry, thens: insertSorted(entry.thens, then, (item) => item.at) };
  }
  if (matchesEvent(definition.first, event)) {
    entry = { ...entry, firsts: insertSorted(entry.firsts, time, (value) => value) };
    // A late `first` can open a window for a `then` already seen.
    entry = {
      ...entry,
      thens: entry.thens.map((then) => {
        if (then.armed || then.at <= time || then.at - time > definition.withinMs) return then;
        setTimers.push({ id: timerId(key, then.at), dueAt: then.at });
        return { ...then, armed: true };
      }),
    };
  }
  return { state: { keys: { ...pruned.keys, [key]: entry } }, firings: [], setTimers, cancelTimers: NONE };
}

function onTimer(definition: Definition, state: SequenceState, id: string, dueAt: number): KindStep<SequenceState> {
  const separator = id.indexOf('|');
  const at = Number(id.slice(0, separator));
  const key = id.slice(separator + 1);
  const entry = state.keys[key];
  const then = entry?.thens.find((candidate) => candidate.armed && candidate.at === at);
  if (entry === undefined || then === undefined) return { state, firings: [], setTimers: [], cancelTimers: NONE };
  const thens = entry.thens.filter((candidate) => candidate !== then);
  // Only the latest A before B need be checked: a C between it and B lies between every earlier A and B too.
  const first = latestAtOrBefore(entry.firsts, at, true);
  const matched = first !== undefined && at - first <= definition.withinMs && !anyBetween(entry.withouts, first, at, false);
  if (!matched) return { state: { keys: { ...state.keys, [key]: { ...entry, thens } } }, firings: [], setTimers: [], cancelTimers: NONE };
  // Each A answers one B: the As before this B are used up.
  const firsts = entry.firsts.filter((time) => time >= at);
  const firing: Firing = { matchKey: key, anchorAt: first, occurredAt: at, dueAt, fields: then.fields };
  return { state: { keys: { ...state.keys, [key]: { ...entry, firsts, thens } } }, firings: [firing], setTimers: [], cancelTimers: NONE };
}

function timerId(key: string, at: number): string {
  return `${at}|${key}`;
}

/**
 * As and Cs older than watermark − T cannot pair with a B still to come (a
 * B arrives at or after the watermark) nor with an armed B; unarmed Bs older than the watermark
 * can no longer be armed by a late A. Armed Bs wait for their timer.
 */
function prune(definition: Definition, state: SequenceState, watermark: number): SequenceState {
  let stale = false;
  for (const key in state.keys) {
    if (isStale(definition, state.keys[key] as SequenceKeyState, watermark)) {
      stale = true;
      break;
    }
  }
  if (!stale) return state;
  const keys: Record<string, SequenceKeyState> = {};
  for (const key in state.keys) {
    const entry = state.keys[key] as SequenceKeyState;
    const horizon = horizonOf(definition, entry, watermark);
    const firsts = entry.firsts.filter((time) => time >= horizon);
    const withouts = entry.withouts.filter((time) => time >= horizon);
    const thens = entry.thens.filter((then) => then.armed || then.at >= watermark);
    if (firsts.length + withouts.length + thens.length > 0) keys[key] = { firsts, withouts, thens };
  }
  return { keys };
}

/** An armed B keeps the As and Cs it will be judged on, however far the watermark jumped. */
function horizonOf(definition: Definition, entry: SequenceKeyState, watermark: number): number {
  let oldestArmed = watermark;
  for (const then of entry.thens) if (then.armed && then.at < oldestArmed) oldestArmed = then.at;
  return oldestArmed - definition.withinMs;
}

function isStale(definition: Definition, entry: SequenceKeyState, watermark: number): boolean {
  const horizon = horizonOf(definition, entry, watermark);
  if (entry.firsts.length + entry.withouts.length + entry.thens.length === 0) return true;
  // The lists are sorted, so their first entry is the oldest.
  if (entry.firsts.length > 0 && (entry.firsts[0] as number) < horizon) return true;
  if (entry.withouts.length > 0 && (entry.withouts[0] as number) < horizon) return true;
  return entry.thens.some((then) => !then.armed && then.at < watermark);
}
