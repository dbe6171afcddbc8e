import type { DuckDBConnection } from '@duckdb/node-api';
import { compileTriggers } from '../../triggers/compile-triggers.js';
import { drainOutbox, type ActionSinkBinding, type DrainResult } from '../../triggers/deliver-actions.js';
import { TriggerEngine, type EngineBatchResult } from '../../triggers/trigger-engine.js';
import type { CompiledTriggers, ProfileEvent, SegmentChange } from '../../triggers/trigger-types.js';
import type { ActionSettlement } from '../../store/state/action-outbox.js';
import type { OutgoingAction } from '../../triggers/engine-records.js';
import type { RetryPolicy } from '../../sync/delivery/retry-policy.js';
import type { StateStore } from '../../store/state/state-store.js';
import type { TriggersConfig } from '../../config/trigger-schema.js';
import type { SuppressionCheck } from '../../privacy/suppressions.js';
import type { ConsentPolicy } from '../../privacy/consent-decision.js';
import { parseCursor, readEventsAfter, type FeedCursor } from './event-feed.js';
import { LiveProfiles } from './live-profiles.js';
import { segmentChangesSince } from './segment-changes.js';

/**
 * The live half of triggers, as `segflow serve` runs it: events the loader
 * stored are fed to the engine in store order (one engine commit per
 * batch, the feed cursor saved after it), the event clock is advanced to
 * the wall clock on a tick so quiet streams still fire their timers, and
 * the outbox is drained into the vendors. Each step is a plain async call,
 * so tests drive it with an injected clock and no timers.
 */
export interface TriggerRuntimeOptions {
  duck: DuckDBConnection;
  state: StateStore;
  config: TriggersConfig;
  now: () => number;
  loadSuppressed: () => Promise<SuppressionCheck>;
  /** `privacy.consent.required` of the mapping. @default not required */
  consentPolicy?: ConsentPolicy;
  /** Events per engine commit. @default 5_000 */
  batchEvents?: number;
  onBatch?: (result: EngineBatchResult, events: number) => void;
  onSettled?: (action: OutgoingAction, settlement: ActionSettlement) => void;
}

export interface DeliveryWiring {
  bindings: ReadonlyMap<string, ActionSinkBinding>;
  policy: RetryPolicy;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  signal: AbortSignal;
}

export const FEED_CURSOR_KEY = 'triggers.feed_cursor';

export class TriggerRuntime {
  readonly triggers: CompiledTriggers;
  readonly profiles: LiveProfiles;
  private readonly engine: TriggerEngine;
  private cursor: FeedCursor | undefined;
  readonly totals = { events: 0, actions: 0, held: 0, duplicates: 0, timersFired: 0 };

  constructor(private readonly options: TriggerRuntimeOptions) {
    this.triggers = compileTriggers(options.config);
    const purposes = [...new Set(this.triggers.rules.map((rule) => rule.purpose))];
    this.profiles = new LiveProfiles(options.duck, options.state, purposes, options.loadSuppressed, options.consentPolicy);
    this.engine = new TriggerEngine({ triggers: this.triggers, repository: options.state.triggers, profiles: this.profiles, now: options.now });
  }

  async start(): Promise<void> {
    await this.profiles.refresh();
    await this.loadCursor();
  }

  /** Feeds every event stored since the last feed, one engine commit per batch. */
  async feed(): Promise<EngineBatchResult[]> {
    const results: EngineBatchResult[] = [];
    const limit = this.options.batchEvents ?? 5_000;
    for (;;) {
      const { events, cursor } = await readEventsAfter(this.options.duck, this.cursor ?? (await this.loadCursor()), limit);
      if (events.length === 0) return results;
      const batch: ProfileEvent[] = events.map((fed) => {
        const profileId = this.profiles.resolve(fed);
        this.profiles.observe(profileId, fed);
        return { profileId, event: fed.event };
      });
      results.push(this.count(await this.engine.processEvents(batch), events.length));
      // After the commit: a crash before this line feeds the batch again, and the engine drops each replayed messageId.
      await this.options.state.meta.set(FEED_CURSOR_KEY, JSON.stringify(cursor));
      this.cursor = cursor;
      if (events.length < limit) return results;
    }
  }

  /** Segment entries and exits (a run's new memberships, an audience change). */
  async segmentChanges(changes: readonly SegmentChange[]): Promise<EngineBatchResult> {
    return this.count(await this.engine.processEvents([], changes), 0);
  }

  /**
   * After a run: the identity graph and suppressions it saved are reloaded,
   * and its segment entries and exits go to the segment triggers.
   */
  async afterRun(): Promise<EngineBatchResult | undefined> {
    await this.profiles.refresh();
    const segments = [...new Set(this.triggers.rules.flatMap((rule) => (rule.kind === 'segment' ? [rule.segment] : [])))];
    const { changes, advanceBaseline } = await segmentChangesSince(this.options.duck, segments, this.options.now());
    const result = changes.length === 0 ? undefined : await this.segmentChanges(changes);
    await advanceBaseline();
    return result;
  }

  /** Advances the event clock to the wall clock and fires what came due. */
  async tick(): Promise<EngineBatchResult> {
    return this.count(await this.engine.advanceTo(this.options.now()), 0);
  }

  /** Delivers what the outbox owes through the sinks' queues. */
  deliver(wiring: DeliveryWiring): Promise<DrainResult> {
    return drainOutbox({
      outbox: this.options.state.actions, sinks: wiring.bindings, policy: wiring.policy, random: wiring.random, sleep: wiring.sleep,
      now: this.options.now, signal: wiring.signal, ...(this.options.onSettled ? { onSettled: this.options.onSettled } : {}),
    });
  }

  private async loadCursor(): Promise<FeedCursor> {
    this.cursor = parseCursor(await this.options.state.meta.get(FEED_CURSOR_KEY));
    return this.cursor;
  }

  private count(result: EngineBatchResult, events: number): EngineBatchResult {
    this.totals.events += events;
    this.totals.actions += result.actions.length;
    this.totals.held += result.held.length;
    this.totals.duplicates += result.duplicates;
    this.totals.timersFired += result.timersFired;
    this.options.onBatch?.(result, events);
    return result;
  }
}
