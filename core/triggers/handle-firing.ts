import { actionId, firingId } from './action-id.js';
import { buildPayload } from './action-payload.js';
import type { HeldAction, OutgoingAction, TriggerTimer } from './engine-records.js';
import type { GuardState, HoldReason, TriggerProfile } from './guards/guard-types.js';
import { frequencyCapAllows, judgeFiring, recordSent } from './guards/judge-firing.js';
import type { Firing, GuardSettings, TriggerDefinition } from './trigger-types.js';

/**
 * A firing through the guards, into actions (sent), holds (with reasons) and
 * at most one deferral timer. Pure: the caller passes the guard state in and
 * keeps the one that comes out.
 */
export interface FiringContext {
  definition: TriggerDefinition;
  profileId: string;
  profile: TriggerProfile | undefined;
  settings: GuardSettings;
  /** Wall clock, only recorded (firedAt), never decided on. */
  firedAt: number;
}

export interface FiringOutcome {
  guards: GuardState;
  actions: OutgoingAction[];
  held: HeldAction[];
  defer: TriggerTimer | undefined;
}

export const DEFER_PREFIX = 'defer|';

/** `deferredUntil` is set when this is the second look, after quiet hours. */
export function handleFiring(context: FiringContext, guards: GuardState, firing: Firing, deferredUntil?: number): FiringOutcome {
  const { definition, profileId } = context;
  const id = firingId(definition.id, profileId, firing.matchKey, firing.anchorAt);
  const at = deferredUntil ?? firing.occurredAt;
  const verdict = judgeFiring({ triggerId: definition.id, purpose: definition.purpose, cooldownMs: definition.cooldownMs, at }, context.profile, guards, context.settings);
  const holdAll = (reason: HoldReason, until?: number): HeldAction[] =>
    definition.actions.map((action, index) => ({
      reason,
      triggerId: definition.id,
      profileId,
      at,
      actionId: actionId(id, index, action.sink, action.kind),
      sink: action.sink,
      firingId: id,
      until,
    }));
  if (verdict.verdict === 'hold') return { guards, actions: [], held: holdAll(verdict.reason), defer: undefined };
  if (verdict.verdict === 'defer') {
    const defer: TriggerTimer = {
      profileId,
      triggerId: definition.id,
      timerId: `${DEFER_PREFIX}${id}`,
      dueAt: verdict.until,
      // Quiet hours end on the event clock; waiting out the lateness too keeps dry runs and live runs equal.
      fireAt: verdict.until + definition.latenessMs,
      deferred: { firing, firingId: id },
    };
    return { guards, actions: [], held: holdAll('quiet_hours_deferred', verdict.until), defer };
  }
  let current = guards;
  const actions: OutgoingAction[] = [];
  const held: HeldAction[] = [];
  definition.actions.forEach((template, index) => {
    const action = actionId(id, index, template.sink, template.kind);
    if (!frequencyCapAllows(current, context.settings, at)) {
      held.push({ reason: 'frequency_cap', triggerId: definition.id, profileId, at, actionId: action, sink: template.sink, firingId: id });
      return;
    }
    current = recordSent(current, context.settings, definition.id, at, 1);
    actions.push({
      id: action,
      firingId: id,
      triggerId: definition.id,
      profileId,
      purpose: definition.purpose,
      sink: template.sink,
      kind: template.kind,
      target: template.target,
      payload: buildPayload(template, { triggerId: definition.id, profileId, matchKey: firing.matchKey, anchorAt: firing.anchorAt, fields: firing.fields, profile: context.profile }),
      matchKey: firing.matchKey,
      anchorAt: firing.anchorAt,
      occurredAt: firing.occurredAt,
      dueAt: firing.dueAt,
      deferredUntil,
      firedAt: context.firedAt,
    });
  });
  return { guards: current, actions, held, defer: undefined };
}
