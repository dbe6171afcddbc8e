import type { KindContext, KindStep, TriggerDefinition, TriggerEvent, TriggerInput } from '../trigger-types.js';
import { absenceInitialState, absenceRelevant, absenceStep, type AbsenceState } from './absence-trigger.js';
import { inactivityInitialState, inactivityRelevant, inactivityStep, type InactivityState } from './inactivity-trigger.js';
import { repetitionInitialState, repetitionRelevant, repetitionStep, type RepetitionState } from './repetition-trigger.js';
import { segmentInitialState, segmentStep, type SegmentState } from './segment-trigger.js';
import { sequenceInitialState, sequenceRelevant, sequenceStep, type SequenceState } from './sequence-trigger.js';

/**
 * One entry point over the five kinds: (definition, state, input, context) →
 * (state, firings, timers). The state of a kind is plain JSON, so a store
 * keeps it as one column; `undefined` means the trigger never saw the profile.
 */
export type KindState = AbsenceState | RepetitionState | SequenceState | SegmentState | InactivityState;

export function stepTrigger(definition: TriggerDefinition, state: KindState | undefined, input: TriggerInput, context: KindContext): KindStep<KindState> {
  switch (definition.kind) {
    case 'absence':
      return absenceStep(definition, (state as AbsenceState | undefined) ?? absenceInitialState(), input, context);
    case 'repetition':
      return repetitionStep(definition, (state as RepetitionState | undefined) ?? repetitionInitialState(), input, context);
    case 'sequence':
      return sequenceStep(definition, (state as SequenceState | undefined) ?? sequenceInitialState(), input, context);
    case 'segment':
      return segmentStep(definition, (state as SegmentState | undefined) ?? segmentInitialState(), input);
    case 'inactivity':
      return inactivityStep(definition, (state as InactivityState | undefined) ?? inactivityInitialState(), input);
  }
}

/** Would this event take part in the trigger? Only those count as too_late for it when they arrive too late. */
export function eventConcernsTrigger(definition: TriggerDefinition, event: TriggerEvent): boolean {
  switch (definition.kind) {
    case 'absence':
      return absenceRelevant(definition, event);
    case 'repetition':
      return repetitionRelevant(definition, event);
    case 'sequence':
      return sequenceRelevant(definition, event);
    case 'segment':
      return false;
    case 'inactivity':
      return inactivityRelevant(definition, event);
  }
}
