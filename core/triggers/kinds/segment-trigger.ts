import type { DefinitionOf, Firing, KindStep, TriggerInput } from '../trigger-types.js';
import { NOTHING } from './no-change.js';

/**
 * Segment entered / exited. Segment changes come from runs and audiences with
 * their own time, not from the event stream, so lateness does not apply;
 * a change that repeats the known membership (entered twice) is not a change.
 */
export interface SegmentState {
  member: boolean | undefined;
}

type Definition = DefinitionOf<'segment'>;

export function segmentInitialState(): SegmentState {
  return { member: undefined };
}

export function segmentStep(definition: Definition, state: SegmentState, input: TriggerInput): KindStep<SegmentState> {
  if (input.type !== 'segment' || input.change.segment !== definition.segment) return { state, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
  const entered = input.change.change === 'entered';
  if (state.member === entered) return { state, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
  const next = { member: entered };
  if (input.change.change !== definition.on) return { state: next, firings: NOTHING, setTimers: NOTHING, cancelTimers: NOTHING };
  const firing: Firing = {
    matchKey: definition.segment,
    anchorAt: input.change.at,
    occurredAt: input.change.at,
    dueAt: undefined,
    fields: { 'segment.id': definition.segment, 'segment.change': input.change.change },
  };
  return { state: next, firings: [firing], setTimers: NOTHING, cancelTimers: NOTHING };
}
