import type { PayloadValue } from './action-payload.js';
import type { GuardState, HoldReason } from './guards/guard-types.js';
import type { KindState } from './kinds/step-trigger.js';
import type { SeenInputs } from './seen-inputs.js';
import type { Firing } from './trigger-types.js';

/**
 * The records the engine keeps and emits. All plain JSON, so a SQL store
 * keeps the profile state as one column and the outbox as rows.
 */

/** One profile's trigger memory: one row, written with its timers and actions in one transaction. */
export interface ProfileTriggerState {
  /** Trigger id → that kind's state. */
  kinds: Record<string, KindState>;
  /** Cooldown and frequency-cap memory. */
  guards: GuardState;
  /** Inputs already applied (messageId / changeId, event time), so a replay is a no-op. */
  seen: SeenInputs;
}

export function emptyProfileState(): ProfileTriggerState {
  return { kinds: {}, guards: { lastSentAt: {}, sentAt: [] }, seen: [] };
}

/** Identifies a timer: unique per (profile, trigger, timer id). */
export interface TimerRef {
  profileId: string;
  triggerId: string;
  timerId: string;
}

export interface TriggerTimer extends TimerRef {
  /** When the match is due on the event clock (the wait's end, the end of quiet hours). */
  dueAt: number;
  /**
   * When it may fire: dueAt plus the trigger's allowed lateness, so an event
   * that happened before dueAt and arrives late can still cancel it. Index
   * this column: "due before t" is `fireAt <= t`.
   */
  fireAt: number;
  /** Set for a firing deferred by quiet hours: re-judged by the guards when it fires. */
  deferred?: { firing: Firing; firingId: string } | undefined;
}

/** An action in the outbox, for the delivery layer to send once under `id`. */
export interface OutgoingAction {
  /** Deterministic (action-id.ts): the outbox keeps the first row per id, the vendor gets it as idempotency key. */
  id: string;
  firingId: string;
  triggerId: string;
  profileId: string;
  purpose: string;
  sink: string;
  kind: string;
  target: string | undefined;
  payload: Record<string, PayloadValue>;
  matchKey: string;
  /** The time identifying the match (wait start, session start, segment change). */
  anchorAt: number;
  /** When the trigger fired on the event clock. */
  occurredAt: number;
  /** The original due time of the timer that fired it (absence, sequence, inactivity). */
  dueAt: number | undefined;
  /** Set when quiet hours deferred it: the end of quiet hours it was sent at (event clock). */
  deferredUntil: number | undefined;
  /** Wall-clock time the engine emitted it (a timer that came due while down fires late; this says how late). */
  firedAt: number;
}

/** An action not taken (or, for too_late, an event a trigger did not apply), with why. */
export interface HeldAction {
  reason: HoldReason;
  triggerId: string;
  profileId: string;
  /** Event time the decision was made at. */
  at: number;
  /** The action that was held; absent for too_late. */
  actionId?: string | undefined;
  sink?: string | undefined;
  firingId?: string | undefined;
  /** too_late: the event, and the watermark it fell behind. */
  messageId?: string | undefined;
  watermark?: number | undefined;
  /** quiet_hours_deferred: when it will be judged again. */
  until?: number | undefined;
}
