import type { CanonicalEvent, JsonObject, JsonValue } from '../events/canonical-event.js';

/**
 * The vocabulary shared by the trigger kinds, the guards and the engine.
 * Times are epoch milliseconds on the EVENT-time clock (see watermark.ts),
 * never read from a wall clock inside a decision.
 */

/** What a trigger reads of an event: a CanonicalEvent is one. */
export type TriggerEvent = Pick<CanonicalEvent, 'messageId' | 'type' | 'event' | 'timestamp' | 'properties'>;

/** An event already resolved to its profile by identity stitching. */
export interface ProfileEvent {
  profileId: string;
  event: TriggerEvent;
}

/** A profile entered or exited a segment (a run, an Engage audience, a Mixpanel cohort). */
export interface SegmentChange {
  profileId: string;
  /** Unique per change: replaying it is a no-op. */
  changeId: string;
  segment: string;
  change: 'entered' | 'exited';
  at: number;
}

/** Event-derived values captured when a match is made, keyed by the payload path (`event.properties.cart_id`). */
export type FieldSnapshot = Record<string, JsonValue>;

export type Condition =
  | { path: string; op: 'eq' | 'ne'; value: JsonValue }
  | { path: string; op: 'gt' | 'gte' | 'lt' | 'lte'; value: number }
  | { path: string; op: 'in'; values: readonly JsonValue[] }
  | { path: string; op: 'exists'; value: boolean };

export interface EventMatcher {
  names: ReadonlySet<string>;
  conditions: readonly Condition[];
}

export type FieldSource = { from: 'path'; path: string } | { from: 'value'; value: JsonValue };

export interface ActionTemplate {
  sink: string;
  kind: string;
  target: string | undefined;
  payload: Readonly<Record<string, FieldSource>>;
}

interface CommonDefinition {
  id: string;
  purpose: string;
  cooldownMs: number;
  latenessMs: number;
  actions: readonly ActionTemplate[];
  /** The `event.*` paths the payload reads: the only event fields a pending match keeps. */
  eventPaths: readonly string[];
}

export type TriggerDefinition = CommonDefinition &
  (
    | { kind: 'absence'; after: EventMatcher; absent: EventMatcher; withinMs: number; key: string | undefined }
    | { kind: 'repetition'; event: EventMatcher; atLeast: number; window: { type: 'sliding'; ms: number } | { type: 'session'; gapMs: number }; key: string | undefined }
    | { kind: 'sequence'; first: EventMatcher; then: EventMatcher; without: EventMatcher | undefined; withinMs: number; key: string | undefined }
    | { kind: 'segment'; segment: string; on: 'entered' | 'exited' }
    | { kind: 'inactivity'; inactiveForMs: number; activity: EventMatcher | undefined }
  );

export type DefinitionOf<K extends TriggerDefinition['kind']> = Extract<TriggerDefinition, { kind: K }>;

export interface GuardSettings {
  frequencyCap: { max: number; perMs: number } | undefined;
  /** Minutes after local midnight. */
  quietHours: { startMinute: number; endMinute: number; defaultTimeZone: string } | undefined;
}

export interface CompiledTriggers {
  rules: readonly TriggerDefinition[];
  guards: GuardSettings;
}

/** What a trigger kind is asked to react to. */
export type TriggerInput =
  | { type: 'event'; event: TriggerEvent }
  | { type: 'timer'; timerId: string; dueAt: number }
  | { type: 'segment'; change: SegmentChange };

/** A timer a kind wants; ids are the kind's own, scoped by (profile, trigger) by the engine. Setting an id again moves it. */
export interface TimerRequest {
  id: string;
  dueAt: number;
}

/** A match: the trigger wants its actions sent. */
export interface Firing {
  /** What the match is about within the profile (cart id, segment id, '' when unkeyed). */
  matchKey: string;
  /** The time that identifies this match (wait start, session start, segment change): the action id hashes it. */
  anchorAt: number;
  /** When it fired on the event clock: the timer's due time, or the event's time. */
  occurredAt: number;
  /** The timer's due time when a timer fired it. */
  dueAt: number | undefined;
  fields: FieldSnapshot;
}

export interface KindStep<S> {
  state: S;
  firings: readonly Firing[];
  setTimers: readonly TimerRequest[];
  cancelTimers: readonly string[];
}

/** Inputs to a kind besides the state: where the event clock stands for this trigger. */
export interface KindContext {
  /** Newest event time seen minus this trigger's allowed lateness: nothing older can still arrive. */
  watermark: number;
}

export type { JsonObject, JsonValue };
