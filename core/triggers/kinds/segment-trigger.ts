import type { DefinitionOf, Firing, KindStep, TriggerInput } from '../trigger-types.js';

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
  if (input.type !== 'segment' || input.change.segment !== definition.segment) return { state, firings: [], setTimers: [], cancelTimers: [] };
  const entered = input.change.change === 'entered';
  if (state.member === entered) return { state, firings: [], setTimers: [], cancelTimers: [] };
  const next = { member: entered };
  if (input.change.change !== definition.on) return { state: next, firings: [], setTimers: [], cancelTimers: [] };
  const firing: Firing = {
    matchKey: definition.segment,
    anchorAt: input.change.at,
    occurredAt: input.change.at,
    dueAt: undefined,
    fields: { 'segment.id': definition.segment, 'segment.change': input.change.change },
  };
  return { state: next, firings: [firing], setTimers: [], cancelTimers: [] };
}
