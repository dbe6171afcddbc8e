import { keyOf, matchesEvent, snapshotEvent } from '../event-matcher.js';
import type { DefinitionOf, FieldSnapshot, Firing, KindContext, KindStep, TimerRequest, TriggerEvent, TriggerInput } from '../trigger-types.js';
import { anyBetween, insertSorted, latestAtOrBefore } from './sorted-times.js';
import { NOTHING } from './no-change.js';
import { emptyRecord, withEntry } from './keyed-record.js';

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

export function sequenceInitialState(): SequenceState {
  return { keys: {} };
}

export function sequenceRelevant(definition: Definition, event: TriggerEvent): boolean {
  return matchesEvent(definition.first, event) || matchesEvent(definition.then, event) || (definition.without !== undefined && matchesEvent(definition.without, event));
}

export function sequenceStep(definition: Definition, state: SequenceState, input: TriggerInput, context: KindContext): KindStep<SequenceState> {
  const pruned = prune(definition, state, context.watermark);
  if (input.type === 'timer') return onTimer(definition, pruned, input.timerId, input.dueAt);
  if (input.type !== 'event') return { state: pruned, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
  const { event } = input;
  // Each matcher once per event: the same three answers decide relevance and the steps below.
  const isWithout = definition.without !== undefined && matchesEvent(definition.without, event);
  const isThen = matchesEvent(definition.then, event);
  const isFirst = matchesEvent(definition.first, event);
  if (!isWithout && !isThen && !isFirst) return { state: pruned, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
  const key = keyOf(event, definition.key);
  if (key === undefined) return { state: pruned, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
  const time = event.timestamp;
  const entry: SequenceKeyState | undefined = pruned.keys[key];
  let firsts = entry?.firsts ?? [];
  let withouts = entry?.withouts ?? [];
  let thens = entry?.thens ?? [];
  const setTimers: TimerRequest[] = [];
  if (isWithout) withouts = insertSorted(withouts, time, timeOfValue);
  if (isThen) {
    const candidate = latestAtOrBefore(firsts, time, true);
    const armed = candidate !== undefined && time - candidate <= definition.withinMs;
    if (armed) setTimers.push({ id: timerId(key, time), dueAt: time });
    const then: SequenceThen = { at: time, armed, fields: snapshotEvent(event, definition.eventPaths) };
    thens = insertSorted(thens, then, timeOfThen);
  }
  if (isFirst) {
    firsts = insertSorted(firsts, time, timeOfValue);
    // A late `first` can open a window for a `then` already seen (copied only when one is armed).
    let rearmed: SequenceThen[] | undefined;
    for (let index = 0; index < thens.length; index++) {
      const then = thens[index] as SequenceThen;
      if (then.armed || then.at <= time || then.at - time > definition.withinMs) continue;
      setTimers.push({ id: timerId(key, then.at), dueAt: then.at });
      rearmed ??= thens.slice();
      rearmed[index] = { ...then, armed: true };
    }
    if (rearmed !== undefined) thens = rearmed;
  }
  return { state: { keys: withEntry(pruned.keys, key, { firsts, withouts, thens }) }, firings: NOTHING, setTimers: setTimers.length === 0 ? NOTHING : setTimers, cancelTimers: NOTHING };
}

const timeOfValue = (value: number): number => value;
const timeOfThen = (then: SequenceThen): number => then.at;

function onTimer(definition: Definition, state: SequenceState, id: string, dueAt: number): KindStep<SequenceState> {
  const separator = id.indexOf('|');
  const at = Number(id.slice(0, separator));
  const key = id.slice(separator + 1);
  const entry = state.keys[key];
  const then = entry?.thens.find((candidate) => candidate.armed && candidate.at === at);
  if (entry === undefined || then === undefined) return { state, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
  const thens = entry.thens.filter((candidate) => candidate !== then);
  // Only the latest A before B need be checked: a C between it and B lies between every earlier A and B too.
  const first = latestAtOrBefore(entry.firsts, at, true);
  const matched = first !== undefined && at - first <= definition.withinMs && !anyBetween(entry.withouts, first, at, false);
  if (!matched) return { state: { keys: withEntry(state.keys, key, { ...entry, thens }) }, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
  // Each A answers one B: the As before this B are used up.
  const firsts = entry.firsts.filter((time) => time >= at);
  const firing: Firing = { matchKey: key, anchorAt: first, occurredAt: at, dueAt, fields: then.fields };
  return { state: { keys: withEntry(state.keys, key, { ...entry, firsts, thens }) }, firings: [firing], setTimers: NOTHING, cancelTimers: NOTHING };
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
  const keys = emptyRecord<SequenceKeyState>();
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
