import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE, T0, compile, engineFor, profileLookup, track } from './trigger-fixtures.test-support.js';
import type { SegmentChange } from './trigger-types.js';

const TWO_SINKS = [
  { sink: 'hubspot', kind: 'hubspot:event', target: 'pe_flow' },
  { sink: 'marketo', kind: 'marketo:campaign', target: '1001' },
];

function change(profileId: string, segment: string, kind: 'entered' | 'exited', at: number): SegmentChange {
  return { profileId, changeId: `${segment}-${kind}-${at}`, segment, change: kind, at };
}

describe('guards in the engine', () => {
  it('caps actions per profile across two triggers and two sinks', async () => {
    const triggers = compile({
      frequency_cap: { max: 2, per: '1d' },
      rules: [
        { id: 'vip', kind: 'segment', purpose: 'marketing', segment: 'vip', on: 'entered', actions: TWO_SINKS },
        { id: 'cart', kind: 'absence', purpose: 'marketing', after: 'Product Added', absent: 'Order Completed', within: '30m', actions: TWO_SINKS },
      ],
    });
    const { engine, repository } = engineFor(triggers);
    await engine.processEvents([], [change('p1', 'vip', 'entered', T0)]);
    await engine.processEvents([track('p1', 'Product Added', T0 + HOUR), track('p2', 'Product Added', T0 + HOUR)]);
    await engine.advanceTo(T0 + 2 * HOUR);
    // p1 already had 2 actions today (vip → hubspot + marketo): both cart actions are held; p2 is not affected.
    expect(repository.outbox.map((action) => `${action.profileId}:${action.triggerId}:${action.sink}`).sort()).toEqual([
      'p1:vip:hubspot',
      'p1:vip:marketo',
      'p2:cart:hubspot',
      'p2:cart:marketo',
    ]);
    expect(repository.held.filter((hold) => hold.reason === 'frequency_cap').map((hold) => `${hold.profileId}:${hold.triggerId}:${hold.sink}`)).toEqual(['p1:cart:hubspot', 'p1:cart:marketo']);
    // A day after the vip actions the window has room again: the next cart goes to both sinks…
    await engine.processEvents([], [change('p1', 'vip', 'exited', T0 + 20 * HOUR)]);
    await engine.processEvents([track('p1', 'Product Added', T0 + DAY + MINUTE)]);
    await engine.advanceTo(T0 + DAY + HOUR);
    // …and fills it, so re-entering vip an hour later is held on both sinks (held actions do not count towards the cap).
    await engine.processEvents([], [change('p1', 'vip', 'entered', T0 + DAY + 2 * HOUR)]);
    const secondDay = repository.outbox.filter((action) => action.occurredAt > T0 + 12 * HOUR).map((action) => `${action.triggerId}:${action.sink}`);
    expect(secondDay).toEqual(['cart:hubspot', 'cart:marketo']);
    expect(repository.held.filter((hold) => hold.reason === 'frequency_cap').map((hold) => `${hold.triggerId}:${hold.sink}`)).toEqual([
      'cart:hubspot',
      'cart:marketo',
      'vip:hubspot',
      'vip:marketo',
    ]);
  });

  it('holds a firing in cooldown, then lets it through after', async () => {
    const triggers = compile({
      rules: [
        { id: 'looked_three_times', kind: 'repetition', purpose: 'marketing', event: { event: 'Product Viewed', where: { price: { gte: 200 } } }, at_least: 3, within: '1h', cooldown: '2h', actions: TWO_SINKS.slice(0, 1) },
      ],
    });
    const { engine, repository } = engineFor(triggers);
    const views = (start: number) => [0, 1, 2].map((step) => track('p1', 'Product Viewed', start + step * MINUTE, { price: 250 }));
    await engine.processEvents([...views(T0), track('p1', 'Product Viewed', T0 + 4 * MINUTE, { price: 20 })]);
    await engine.processEvents(views(T0 + 30 * MINUTE));
    await engine.processEvents(views(T0 + 3 * HOUR));
    expect(repository.outbox.map((action) => action.anchorAt)).toEqual([T0, T0 + 3 * HOUR]);
    expect(repository.held.map((hold) => hold.reason)).toEqual(['cooldown']);
  });

  it('never fires for suppressed profiles or without the purpose granted at send time', async () => {
    const triggers = compile({ rules: [{ id: 'vip', kind: 'segment', purpose: 'marketing', segment: 'vip', on: 'entered', actions: TWO_SINKS }] });
    const profiles = profileLookup({ erased: { suppressed: true }, analytics_only: { consent: { analytics: true } }, unknown: { consent: {} } });
    const { engine, repository } = engineFor(triggers, { profiles });
    await engine.processEvents([], ['erased', 'analytics_only', 'unknown', 'ok'].map((id) => change(id, 'vip', 'entered', T0)));
    expect(repository.outbox.map((action) => action.profileId)).toEqual(['ok', 'ok']);
    expect(Object.fromEntries(repository.heldByReason)).toEqual({ suppressed: 2, no_consent: 4 });
  });

  it('defers actions in quiet hours to 08:00 in each profile zone, across the DST switches', async () => {
    const triggers = compile({
      quiet_hours: { start: '21:00', end: '08:00', default_timezone: 'Europe/Berlin' },
      allowed_lateness: '1m',
      rules: [{ id: 'cart', kind: 'absence', purpose: 'marketing', after: 'Product Added', absent: 'Order Completed', within: '30m', actions: TWO_SINKS.slice(0, 1) }],
    });
    const profiles = profileLookup({ berlin: { timeZone: 'Europe/Berlin' }, newyork: { timeZone: 'America/New_York' }, nozone: { timeZone: undefined } });
    const cases = [
      // Carts abandoned at 22:00 local the evening before clocks go forward (Berlin 29 March, New York 8 March).
      { profileId: 'berlin', added: Date.parse('2026-03-28T20:30:00Z'), sent: '2026-03-29T06:00:00.000Z' },
      { profileId: 'newyork', added: Date.parse('2026-03-08T02:30:00Z'), sent: '2026-03-08T12:00:00.000Z' },
      // And before they go back (Berlin 25 October, New York 1 November).
      { profileId: 'berlin', added: Date.parse('2026-10-24T19:30:00Z'), sent: '2026-10-25T07:00:00.000Z' },
      { profileId: 'newyork', added: Date.parse('2026-11-01T01:30:00Z'), sent: '2026-11-01T13:00:00.000Z' },
      // No zone on the profile: the default (Berlin).
      { profileId: 'nozone', added: Date.parse('2026-10-24T19:30:00Z'), sent: '2026-10-25T07:00:00.000Z' },
    ];
    for (const { profileId, added } of cases) {
      const { engine, repository } = engineFor(triggers, { profiles });
      await engine.processEvents([track(profileId, 'Product Added', added)]);
      const held = await engine.advanceTo(added + 2 * HOUR);
      expect(held.actions).toHaveLength(0);
      expect(held.held.map((hold) => hold.reason)).toEqual(['quiet_hours_deferred']);
      await engine.advanceTo(added + DAY);
      const [action] = repository.outbox;
      expect(repository.outbox).toHaveLength(1);
      const expected = cases.find((candidate) => candidate.profileId === profileId && candidate.added === added);
      expect(new Date(action?.deferredUntil as number).toISOString()).toBe(expected?.sent);
      // The action keeps the identity and the due time of the match it came from.
      expect(action).toMatchObject({ anchorAt: added, dueAt: added + 30 * MINUTE, id: held.held[0]?.actionId });
    }
  });

  it('re-checks consent when a deferred action comes due', async () => {
    const triggers = compile({
      quiet_hours: { start: '21:00', end: '08:00', default_timezone: 'UTC' },
      rules: [{ id: 'vip', kind: 'segment', purpose: 'marketing', segment: 'vip', on: 'entered', actions: TWO_SINKS.slice(0, 1) }],
    });
    let granted = true;
    const profiles = { lookup: (ids: readonly string[]) => Promise.resolve(new Map(ids.map((id) => [id, { timeZone: 'UTC', consent: { marketing: granted }, suppressed: false, traits: {} }]))) };
    const { engine, repository } = engineFor(triggers, { profiles });
    await engine.processEvents([], [change('p1', 'vip', 'entered', Date.parse('2026-06-10T23:00:00Z'))]);
    granted = false; // withdrawn overnight
    await engine.advanceTo(Date.parse('2026-06-11T09:00:00Z'));
    expect(repository.outbox).toHaveLength(0);
    expect(Object.fromEntries(repository.heldByReason)).toEqual({ quiet_hours_deferred: 1, no_consent: 1 });
  });
});
