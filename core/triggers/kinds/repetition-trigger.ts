import { keyOf, matchesEvent, snapshotEvent } from '../event-matcher.js';
import type { DefinitionOf, FieldSnapshot, Firing, KindContext, KindStep, TriggerEvent, TriggerInput } from '../trigger-types.js';
import { insertSorted } from './sorted-times.js';
import { NOTHING } from './no-change.js';
import { copyRecord, emptyRecord, withEntry } from './keyed-record.js';

/**
 * Repetition: at least N matching events within a sliding window or within one
 * session (events no more than the gap apart). "At least N" only grows as
 * events arrive, so it may fire as soon as the Nth lands, also when that event
 * is late: no waiting for the watermark. The events that made a firing are
 * consumed, so the 4th view does not fire again; the 6th does (cooldown is
 * the guard against that, not the kind).
 */
export interface RepetitionHit {
  at: number;
  fields: FieldSnapshot;
}

export interface RepetitionState {
  hits: Record<string, RepetitionHit[]>;
}

type Definition = DefinitionOf<'repetition'>;

export function repetitionInitialState(): RepetitionState {
  return { hits: {} };
}

export function repetitionRelevant(definition: Definition, event: TriggerEvent): boolean {
  return matchesEvent(definition.event, event);
}

export function repetitionStep(definition: Definition, state: RepetitionState, input: TriggerInput, context: KindContext): KindStep<RepetitionState> {
  const pruned = prune(definition, state, context.watermark);
  if (input.type !== 'event' || !matchesEvent(definition.event, input.event)) return { state: pruned, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
  const key = keyOf(input.event, definition.key);
  if (key === undefined) return { state: pruned, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
  const hit: RepetitionHit = { at: input.event.timestamp, fields: snapshotEvent(input.event, definition.eventPaths) };
  const hits = insertSorted(pruned.hits[key] ?? [], hit, (item) => item.at);
  const found = findRun(definition, hits);
  if (found === undefined) return { state: { hits: withEntry(pruned.hits, key, hits) }, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
  const first = hits[found.start] as RepetitionHit;
  const last = hits[found.end] as RepetitionHit;
  const firing: Firing = { matchKey: key, anchorAt: first.at, occurredAt: last.at, dueAt: undefined, fields: last.fields };
  const rest = hits.slice(found.end + 1);
  const next = copyRecord(pruned.hits);
  if (rest.length === 0) delete next[key];
  else next[key] = rest;
  return { state: { hits: next }, firings: [firing], setTimers: NOTHING, cancelTimers: NOTHING };
}

/** The earliest N consecutive hits that fit one window or one session. */
function findRun(definition: Definition, hits: readonly RepetitionHit[]): { start: number; end: number } | undefined {
  const needed = definition.atLeast;
  const window = definition.window;
  if (window.type === 'sliding') {
    for (let start = 0; start + needed - 1 < hits.length; start++) {
      const end = start + needed - 1;
      if ((hits[end] as RepetitionHit).at - (hits[start] as RepetitionHit).at <= window.ms) return { start, end };
    }
    return undefined;
  }
  let sessionStart = 0;
  for (let index = 0; index < hits.length; index++) {
    if (index > 0 && (hits[index] as RepetitionHit).at - (hits[index - 1] as RepetitionHit).at > window.gapMs) sessionStart = index;
    if (index - sessionStart + 1 >= needed) return { start: sessionStart, end: index };
  }
  return undefined;
}

/** Hits no event at or after the watermark can still join a run with. */
function prune(definition: Definition, state: RepetitionState, watermark: number): RepetitionState {
  const window = definition.window;
  const horizon = watermark - (window.type === 'sliding' ? window.ms : window.gapMs);
  // A sliding window drops hits before the horizon; a session whose last hit is before it is closed.
  const keep = (list: readonly RepetitionHit[]): RepetitionHit[] =>
    window.type === 'sliding' ? list.filter((hit) => hit.at >= horizon) : (list[list.length - 1] as RepetitionHit).at >= horizon ? (list as RepetitionHit[]) : [];
  let stale = false;
  for (const key in state.hits) {
    const list = state.hits[key] as RepetitionHit[];
    if ((window.type === 'sliding' ? (list[0] as RepetitionHit).at : (list[list.length - 1] as RepetitionHit).at) < horizon) {
      stale = true;
      break;
    }
  }
  if (!stale) return state;
  const hits = emptyRecord<RepetitionHit[]>();
  for (const key in state.hits) {
    const kept = keep(state.hits[key] as RepetitionHit[]);
    if (kept.length > 0) hits[key] = kept;
  }
  return { hits };
}
