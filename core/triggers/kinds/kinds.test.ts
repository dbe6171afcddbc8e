import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE, T0, compile, engineFor, track } from '../trigger-fixtures.test-support.js';
import type { SegmentChange } from '../trigger-types.js';

const HUBSPOT = [{ sink: 'hubspot', kind: 'hubspot:event', target: 'flow', payload: { product: 'event.properties.product_id', segment: 'segment.id' } }];

describe('repetition', () => {
  const triggers = compile({
    allowed_lateness: '10m',
    rules: [
      {
        id: 'expensive_thrice',
        kind: 'repetition',
        purpose: 'marketing',
        event: { event: 'Product Viewed', where: { price: { gte: 200 } } },
        at_least: 3,
        within: 'session',
        session_gap: '30m',
        key: 'product_id',
        actions: HUBSPOT,
      },
    ],
  });

  it('fires on the third expensive view of one product within a session, counting a late view', async () => {
    const { engine, repository } = engineFor(triggers);
    await engine.processEvents([
      track('p1', 'Product Viewed', T0, { product_id: 'sku1', price: 250 }),
      track('p1', 'Product Viewed', T0 + 10 * MINUTE, { product_id: 'sku1', price: 250 }),
      track('p1', 'Product Viewed', T0 + 12 * MINUTE, { product_id: 'sku2', price: 250 }), // another product
      track('p1', 'Product Viewed', T0 + 14 * MINUTE, { product_id: 'sku1', price: 150 }), // too cheap
    ]);
    expect(repository.outbox).toHaveLength(0);
    // Happened at minute 5, arrives after minute 14: inside the lateness, it is the third view.
    await engine.processEvents([track('p1', 'Product Viewed', T0 + 5 * MINUTE, { product_id: 'sku1', price: 300 })]);
    expect(repository.outbox.map((action) => [action.anchorAt, action.occurredAt, action.payload.product])).toEqual([[T0, T0 + 10 * MINUTE, 'sku1']]);
  });

  it('does not count views in different sessions together', async () => {
    const { engine, repository } = engineFor(triggers);
    await engine.processEvents([0, 40, 80].map((minute) => track('p1', 'Product Viewed', T0 + minute * MINUTE, { product_id: 'sku1', price: 250 })));
    expect(repository.outbox).toHaveLength(0);
  });

  it('uses a sliding window when asked', async () => {
    const sliding = compile({ rules: [{ id: 'thrice', kind: 'repetition', purpose: 'marketing', event: 'Product Viewed', at_least: 3, within: '1h', actions: HUBSPOT }] });
    const { engine, repository } = engineFor(sliding);
    await engine.processEvents([0, 40, 80, 100].map((minute) => track('p1', 'Product Viewed', T0 + minute * MINUTE)));
    expect(repository.outbox.map((action) => action.anchorAt)).toEqual([T0 + 40 * MINUTE]);
  });
});

describe('inactivity', () => {
  const triggers = compile({ allowed_lateness: '1h', rules: [{ id: 'gone_quiet', kind: 'inactivity', purpose: 'marketing', inactive_for: '30d', actions: HUBSPOT }] });

  it('fires once, 30 days after the last activity, and a late activity inside the lateness moves it', async () => {
    const { engine, repository } = engineFor(triggers);
    await engine.processEvents([track('p1', 'Page Viewed', T0), track('p1', 'Page Viewed', T0 + 5 * DAY)]);
    await engine.advanceTo(T0 + 35 * DAY + 30 * MINUTE); // due, but the lateness has not passed
    await engine.processEvents([track('p1', 'Page Viewed', T0 + 35 * DAY - MINUTE)]); // late, inside the hour
    await engine.advanceTo(T0 + 64 * DAY);
    expect(repository.outbox).toHaveLength(0);
    await engine.advanceTo(T0 + 66 * DAY);
    await engine.advanceTo(T0 + 90 * DAY);
    expect(repository.outbox.map((action) => [action.anchorAt, action.dueAt])).toEqual([[T0 + 35 * DAY - MINUTE, T0 + 65 * DAY - MINUTE]]);
  });

  it('never fires for a profile that was never active, nor for an old activity arriving late', async () => {
    const { engine, repository } = engineFor(triggers);
    await engine.processEvents([track('p1', 'Page Viewed', T0 + DAY)]);
    await engine.processEvents([track('p1', 'Page Viewed', T0)]); // older than the latest: nothing moves
    await engine.advanceTo(T0 + 40 * DAY);
    expect(repository.outbox.map((action) => action.anchorAt)).toEqual([T0 + DAY]);
  });
});

describe('segment entered / exited', () => {
  const triggers = compile({
    rules: [
      { id: 'churn_in', kind: 'segment', purpose: 'marketing', segment: 'churn_risk', on: 'entered', actions: HUBSPOT },
      { id: 'churn_out', kind: 'segment', purpose: 'marketing', segment: 'churn_risk', on: 'exited', actions: HUBSPOT },
    ],
  });
  const change = (changeId: string, kind: 'entered' | 'exited', at: number, segment = 'churn_risk'): SegmentChange => ({ profileId: 'p1', changeId, segment, change: kind, at });

  it('fires on each real change, not on a repeat or a replay, and ignores other segments', async () => {
    const { engine, repository } = engineFor(triggers);
    await engine.processEvents([], [change('r1', 'entered', T0), change('r1', 'entered', T0), change('r2', 'entered', T0 + HOUR), change('x', 'entered', T0, 'vip')]);
    await engine.processEvents([], [change('r3', 'exited', T0 + DAY)]);
    await engine.processEvents([], [change('r3', 'exited', T0 + DAY)]);
    expect(repository.outbox.map((action) => `${action.triggerId}@${action.anchorAt}`)).toEqual([`churn_in@${T0}`, `churn_out@${T0 + DAY}`]);
    expect(repository.outbox[0]?.payload).toEqual({ segment: 'churn_risk' });
  });
});
