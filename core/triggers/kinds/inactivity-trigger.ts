import { matchesEvent, snapshotEvent } from '../event-matcher.js';
import type { DefinitionOf, FieldSnapshot, Firing, KindStep, TriggerEvent, TriggerInput } from '../trigger-types.js';
import { NOTHING } from './no-change.js';

/**
 * Inactivity: no activity for D after the last one. One timer per profile (a
 * timer table, not a scan of every profile each minute), set lazily: an
 * activity does not move it; when it comes due and there was activity since,
 * it is set again for last activity + D. That is one timer write per D of
 * activity instead of one per event. A late activity older than the last one
 * changes nothing; a late one inside the lateness is seen before the timer
 * fires, because timers fire only when the watermark passes them.
 * Profiles with no activity at all never fire: there is nothing to be
 * inactive since.
 */
export interface InactivityState {
  lastActivityAt: number | undefined;
  fields: FieldSnapshot;
  /** The pending timer's due time, if one is set. */
  timerDueAt: number | undefined;
}

type Definition = DefinitionOf<'inactivity'>;
export const INACTIVITY_TIMER = 'inactive';

export function inactivityInitialState(): InactivityState {
  return { lastActivityAt: undefined, fields: {}, timerDueAt: undefined };
}

export function inactivityRelevant(definition: Definition, event: TriggerEvent): boolean {
  return definition.activity === undefined || matchesEvent(definition.activity, event);
}

export function inactivityStep(definition: Definition, state: InactivityState, input: TriggerInput): KindStep<InactivityState> {
  if (input.type === 'timer') {
    const last = state.lastActivityAt;
    if (last === undefined || input.dueAt !== state.timerDueAt) return { state, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
    const dueAt = last + definition.inactiveForMs;
    if (dueAt > input.dueAt) return { state: { ...state, timerDueAt: dueAt }, firings: NOTHING, setTimers: [{ id: INACTIVITY_TIMER, dueAt }], cancelTimers: NOTHING };
    const firing: Firing = { matchKey: '', anchorAt: last, occurredAt: input.dueAt, dueAt: input.dueAt, fields: state.fields };
    return { state: { ...state, timerDueAt: undefined }, firings: [firing], setTimers: NOTHING, cancelTimers: NOTHING };
  }
  if (input.type !== 'event' || !inactivityRelevant(definition, input.event)) return { state, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
  const time = input.event.timestamp;
  if (state.lastActivityAt !== undefined && time <= state.lastActivityAt) return { state, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
  const fields = definition.eventPaths.length === 0 ? state.fields : snapshotEvent(input.event, definition.eventPaths);
  if (state.timerDueAt !== undefined) return { state: { lastActivityAt: time, fields, timerDueAt: state.timerDueAt }, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
  const dueAt = time + definition.inactiveForMs;
  return { state: { lastActivityAt: time, fields, timerDueAt: dueAt }, firings: NOTHING, setTimers: [{ id: INACTIVITY_TIMER, dueAt }], cancelTimers: NOTHING };
}
