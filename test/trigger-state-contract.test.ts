import { afterEach, describe, expect, it } from 'vitest';
import type { HeldAction, OutgoingAction, ProfileTriggerState, TriggerTimer } from '../core/triggers/engine-records.js';
import { InMemoryTriggerStateRepository } from '../core/triggers/in-memory-trigger-state-repository.js';
import { DAY, T0 } from '../core/triggers/trigger-fixtures.test-support.js';
import { MIXED_PROFILES, MIXED_TRIGGERS, inBatches, mixedHistory } from '../core/triggers/mixed-history.test-support.js';
import { TriggerEngine } from '../core/triggers/trigger-engine.js';
import type { TriggerCommit, TriggerStateRepository } from '../core/triggers/trigger-state-repository.js';
import { openStateStore } from '../core/store/state/open-state-store.js';
import type { StateStore } from '../core/store/state/state-store.js';
import { STATE_DRIVERS } from './support/state-drivers.js';

/**
 * The TriggerStateRepository contract, run against the in-memory reference
 * and the state store on every driver (SQLite, PostgreSQL): the same
 * commits must read back the same way everywhere, so the engine decides the
 * same on each. Each test opens a fresh, empty location.
 */
interface RepositoryCase {
  name: string;
  open(label: string): Promise<Opened>;
}

interface Opened {
  repository: TriggerStateRepository;
  /** The outbox, ordered by id (the reference keeps commit order, the store firing order). */
  outbox(): Promise<OutgoingAction[]>;
  /** Hold counts as `trigger/reason` → count. */
  holds(): Promise<Record<string, number>>;
  /** Pending timers, ordered by key. */
  pendingTimers(): Promise<TriggerTimer[]>;
}

const stores: StateStore[] = [];

const CASES: RepositoryCase[] = [
  {
    name: 'in-memory',
    open: () => {
      const repository = new InMemoryTriggerStateRepository({ keepHeld: true, clone: true });
      return Promise.resolve({
        repository,
        outbox: () => Promise.resolve(byId(repository.outbox)),
        holds: () => Promise.resolve(countHolds(repository.held)),
        pendingTimers: () => Promise.resolve(byKey(repository.pendingTimers())),
      });
    },
  },
  ...STATE_DRIVERS.map((driver): RepositoryCase => ({
    name: driver.name,
    open: async (label) => {
      const store = await openStateStore(driver.location(`triggers-${label}`));
      stores.push(store);
      const triggers = store.triggers;
      return {
        repository: triggers,
        outbox: async () => byId(await triggers.outbox()),
        holds: async () => Object.fromEntries((await triggers.holds()).map((hold) => [`${hold.triggerId}/${hold.reason}`, hold.count])),
        pendingTimers: async () => byKey(await triggers.pendingTimers()),
      };
    },
  })),
];

function byId(actions: readonly OutgoingAction[]): OutgoingAction[] {
  return [...actions].sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
}

function byKey(timers: readonly TriggerTimer[]): TriggerTimer[] {
  const key = (timer: TriggerTimer) => `${timer.profileId}\u001e${timer.triggerId}\u001f${timer.timerId}`;
  return [...timers].sort((left, right) => (key(left) < key(right) ? -1 : key(left) > key(right) ? 1 : 0));
}

function countHolds(held: readonly HeldAction[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const hold of held) counts[`${hold.triggerId}/${hold.reason}`] = (counts[`${hold.triggerId}/${hold.reason}`] ?? 0) + 1;
  return counts;
}

const state = (note: string): ProfileTriggerState => ({
  kinds: { cart: { kind: 'absence', waits: { c1: { since: T0, note } } } as never },
  guards: { lastSentAt: { cart: T0 - 5 }, sentAt: [[T0 - 5, 'hubspot']] as never },
  seen: [[`m-${note}`, T0], ['m-ü✓', T0 + 1]],
});

const timer = (profileId: string, timerId: string, fireAt: number, triggerId = 'cart'): TriggerTimer => ({ profileId, triggerId, timerId, dueAt: fireAt - 60_000, fireAt });

function action(id: string, overrides: Partial<OutgoingAction> = {}): OutgoingAction {
  return {
    id, firingId: `f-${id}`, triggerId: 'cart', profileId: 'p1', purpose: 'marketing', sink: 'hubspot', kind: 'hubspot:event', target: 'pe_cart',
    payload: { email: 'p1@example.com', total: 12.5, vip: true, note: null }, matchKey: 'c1', anchorAt: T0, occurredAt: T0 + 1_800_000,
    dueAt: T0 + 1_800_000, deferredUntil: undefined, firedAt: T0 + DAY, ...overrides,
  };
}

function commitOf(parts: Partial<Omit<TriggerCommit, 'clock'>> & { clock?: number }): TriggerCommit {
  return { clock: { eventTime: parts.clock ?? T0 }, profiles: parts.profiles ?? [], outbox: parts.outbox ?? [], held: parts.held ?? [] };
}

describe.each(CASES)('trigger state contract: $name', (repositoryCase) => {
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('reads back committed states and the clock; an unseen profile is absent', async () => {
    const { repository } = await repositoryCase.open('round-trip');
    expect(await repository.loadClock()).toBeUndefined();
    expect(await repository.loadProfiles(['p1'])).toEqual(new Map());
    // An engine that has seen nothing commits the clock -Infinity.
    await repository.commit(commitOf({ clock: Number.NEGATIVE_INFINITY }));
    expect(await repository.loadClock()).toEqual({ eventTime: Number.NEGATIVE_INFINITY });
    expect(await repository.dueProfiles(Number.NEGATIVE_INFINITY, 10)).toEqual([]);
    expect(await repository.loadProfiles([])).toEqual(new Map());
    await repository.commit(commitOf({ clock: T0 + 7, profiles: [{ profileId: 'p1', state: state('one'), setTimers: [], cancelTimers: [] }, { profileId: 'p2', state: state('two'), setTimers: [], cancelTimers: [] }] }));
    await repository.commit(commitOf({ clock: T0 + 9, profiles: [{ profileId: 'p2', state: state('two again'), setTimers: [], cancelTimers: [] }] }));
    expect(await repository.loadClock()).toEqual({ eventTime: T0 + 9 });
    const loaded = await repository.loadProfiles(['p1', 'p2', 'p3', 'p1']);
    expect([...loaded.keys()].sort()).toEqual(['p1', 'p2']);
    expect(loaded.get('p1')).toEqual({ state: state('one'), timers: [] });
    expect(loaded.get('p2')).toEqual({ state: state('two again'), timers: [] });
  });

  it('sets, replaces and cancels timers by (profile, trigger, timer)', async () => {
    const opened = await repositoryCase.open('timers');
    const { repository } = opened;
    const deferred = { ...timer('p1', 'defer:a', T0 + 500), deferred: { firing: { triggerId: 'cart', matchKey: 'c1' } as never, firingId: 'f1' } };
    await repository.commit(commitOf({
      profiles: [
        { profileId: 'p1', state: state('one'), setTimers: [timer('p1', 'a', T0 + 100), timer('p1', 'b', T0 + 200), timer('p1', 'a', T0 + 300, 'other'), deferred], cancelTimers: [] },
        { profileId: 'p2', state: state('two'), setTimers: [timer('p2', 'a', T0 + 400)], cancelTimers: [] },
      ],
    }));
    await repository.commit(commitOf({
      profiles: [
        // Replaced, cancelled (plus one that is not there), and cancelled then set again in one commit.
        { profileId: 'p1', state: state('one'), setTimers: [timer('p1', 'a', T0 + 150), timer('p1', 'b', T0 + 250)], cancelTimers: [{ profileId: 'p1', triggerId: 'other', timerId: 'a' }, { profileId: 'p1', triggerId: 'cart', timerId: 'missing' }, { profileId: 'p1', triggerId: 'cart', timerId: 'b' }] },
        { profileId: 'p2', state: state('two'), setTimers: [], cancelTimers: [{ profileId: 'p2', triggerId: 'cart', timerId: 'a' }] },
      ],
    }));
    const loaded = await repository.loadProfiles(['p1', 'p2']);
    expect(byKey(loaded.get('p1')?.timers ?? [])).toEqual(byKey([timer('p1', 'a', T0 + 150), timer('p1', 'b', T0 + 250), deferred]));
    expect(loaded.get('p2')?.timers).toEqual([]);
    expect(await opened.pendingTimers()).toEqual(byKey([timer('p1', 'a', T0 + 150), timer('p1', 'b', T0 + 250), deferred]));
  });

  it('lists due profiles earliest fireAt first, each once, at most `limit`', async () => {
    const { repository } = await repositoryCase.open('due');
    await repository.commit(commitOf({
      profiles: [
        { profileId: 'p1', state: state('1'), setTimers: [timer('p1', 'a', T0 + 30), timer('p1', 'b', T0 + 5), timer('p1', 'c', T0 + 90)], cancelTimers: [] },
        { profileId: 'p2', state: state('2'), setTimers: [timer('p2', 'a', T0 + 10)], cancelTimers: [] },
        { profileId: 'p3', state: state('3'), setTimers: [timer('p3', 'a', T0 + 20), timer('p3', 'b', T0 + 1)], cancelTimers: [] },
        { profileId: 'p4', state: state('4'), setTimers: [timer('p4', 'a', T0 + 1_000)], cancelTimers: [] },
        { profileId: 'p5', state: state('5'), setTimers: [], cancelTimers: [] },
      ],
    }));
    expect(await repository.dueProfiles(T0 + 100, 10)).toEqual(['p3', 'p1', 'p2']);
    expect(await repository.dueProfiles(T0 + 100, 2)).toEqual(['p3', 'p1']);
    expect(await repository.dueProfiles(T0 + 7, 10)).toEqual(['p3', 'p1']);
    expect(await repository.dueProfiles(T0, 10)).toEqual([]);
    // Moving p3's timers later and cancelling p1's earliest reorders them; a cancelled timer is never due.
    await repository.commit(commitOf({
      profiles: [
        { profileId: 'p3', state: state('3'), setTimers: [timer('p3', 'a', T0 + 95)], cancelTimers: [{ profileId: 'p3', triggerId: 'cart', timerId: 'b' }] },
        { profileId: 'p1', state: state('1'), setTimers: [], cancelTimers: [{ profileId: 'p1', triggerId: 'cart', timerId: 'b' }] },
      ],
    }));
    expect(await repository.dueProfiles(T0 + 100, 10)).toEqual(['p2', 'p1', 'p3']);
    expect(await repository.dueProfiles(T0 + 2_000, 10)).toEqual(['p2', 'p1', 'p3', 'p4']);
  });

  it('pages through a profile with many due timers to find `limit` distinct profiles', async () => {
    const { repository } = await repositoryCase.open('due-many');
    const crowded = Array.from({ length: 450 }, (_, index) => timer('busy', `t${index}`, T0 + index));
    await repository.commit(commitOf({
      profiles: [
        { profileId: 'busy', state: state('busy'), setTimers: crowded, cancelTimers: [] },
        { profileId: 'late1', state: state('l1'), setTimers: [timer('late1', 'a', T0 + 600)], cancelTimers: [] },
        { profileId: 'late2', state: state('l2'), setTimers: [timer('late2', 'a', T0 + 700)], cancelTimers: [] },
      ],
    }));
    expect(await repository.dueProfiles(T0 + 1_000, 2)).toEqual(['busy', 'late1']);
    expect(await repository.dueProfiles(T0 + 1_000, 5)).toEqual(['busy', 'late1', 'late2']);
  });

  it('keeps one outbox row per action id and reports the repeats as duplicates', async () => {
    const opened = await repositoryCase.open('outbox');
    const { repository } = opened;
    expect(await repository.commit(commitOf({ outbox: [action('a'), action('b')] }))).toEqual({ duplicateActionIds: [] });
    const second = await repository.commit(commitOf({ outbox: [action('b', { firedAt: T0 + 2 * DAY }), action('c'), action('c', { sink: 'marketo' }), action('d', { target: undefined, dueAt: undefined, deferredUntil: T0 + 3 })] }));
    expect(second.duplicateActionIds).toEqual(['b', 'c']);
    // The first row of an id is the one kept.
    expect(await opened.outbox()).toEqual([action('a'), action('b'), action('c'), action('d', { target: undefined, dueAt: undefined, deferredUntil: T0 + 3 })]);
  });

  it('counts held actions by trigger and reason across commits', async () => {
    const opened = await repositoryCase.open('held');
    const hold = (triggerId: string, reason: HeldAction['reason']): HeldAction => ({ reason, triggerId, profileId: 'p1', at: T0 });
    await opened.repository.commit(commitOf({ held: [hold('cart', 'cooldown'), hold('cart', 'cooldown'), hold('cart', 'no_consent'), hold('quiet', 'too_late')] }));
    await opened.repository.commit(commitOf({ held: [hold('cart', 'cooldown'), hold('quiet', 'quiet_hours_deferred')] }));
    expect(await opened.holds()).toEqual({ 'cart/cooldown': 3, 'cart/no_consent': 1, 'quiet/too_late': 1, 'quiet/quiet_hours_deferred': 1 });
  });
});

describe('the engine decides the same on every repository', () => {
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('a week of mixed traffic, replayed in part, yields the same outbox, holds and timers', async () => {
    const { stream, end } = mixedHistory(31, 120);
    const outcomes = [];
    for (const repositoryCase of CASES) {
      const opened = await repositoryCase.open('engine');
      let wall = T0;
      // A restart half-way: a new engine on the same repository, as a new process would be.
      const engineOn = () => new TriggerEngine({ triggers: MIXED_TRIGGERS, repository: opened.repository, profiles: MIXED_PROFILES, now: () => wall, dueBatchSize: 7 });
      let engine = engineOn();
      const batches = inBatches(stream, 50);
      let duplicateActions = 0;
      for (const [index, batch] of batches.entries()) {
        wall = (batch[batch.length - 1]?.event.timestamp ?? wall) + 1_000;
        if (index === Math.floor(batches.length / 2)) engine = engineOn();
        duplicateActions += (await engine.processEvents([...batch, ...batch.slice(0, 3)])).duplicateActions;
      }
      const midway = await opened.pendingTimers();
      wall = end + 5 * DAY;
      await engine.advanceTo(wall);
      outcomes.push({ name: repositoryCase.name, outbox: await opened.outbox(), holds: await opened.holds(), midway, pending: await opened.pendingTimers(), clock: await opened.repository.loadClock(), duplicateActions });
    }
    const [reference, ...others] = outcomes;
    expect(reference?.outbox.length).toBeGreaterThan(50);
    expect(reference?.midway.length).toBeGreaterThan(0);
    for (const other of others) expect({ ...other, name: reference?.name }).toEqual(reference);
  });
});
