import { describe, expect, it } from 'vitest';
import { MINUTE, T0, compile, engineFor, track } from './trigger-fixtures.test-support.js';
import type { ProfileEvent } from './trigger-types.js';

const LATENESS = 5 * MINUTE;
const WITHIN = 10 * MINUTE;
const TRIGGERS = compile({
  allowed_lateness: '5m',
  rules: [
    {
      id: 'a_then_b',
      kind: 'sequence',
      purpose: 'marketing',
      first: { event: 'Product Viewed', where: { product_id: 'A' } },
      then: { event: 'Product Viewed', where: { product_id: 'B' } },
      without: 'Order Completed',
      within: '10m',
      actions: [{ sink: 'hubspot', kind: 'hubspot:list-add', target: 'a-then-b', payload: { product: 'event.properties.product_id' } }],
    },
  ],
});

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Generated {
  stream: ProfileEvent[];
  byProfile: Map<string, { time: number; role: 'A' | 'B' | 'C' | 'X' }[]>;
  end: number;
}

/** Profiles browsing A, B, other products and ordering; a third of the events arrive up to 4.9 min late (inside the 5 min lateness). */
function generate(seed: number, profiles: number, eventsEach: number): Generated {
  const random = mulberry32(seed);
  const arrivals: { arrival: number; order: number; event: ProfileEvent }[] = [];
  const byProfile = new Map<string, { time: number; role: 'A' | 'B' | 'C' | 'X' }[]>();
  let end = T0;
  for (let index = 0; index < profiles; index++) {
    const profileId = `p${index}`;
    let time = T0 + Math.floor(random() * 60 * MINUTE);
    const events: { time: number; role: 'A' | 'B' | 'C' | 'X' }[] = [];
    for (let step = 0; step < eventsEach; step++) {
      time += 1_000 + Math.floor(random() * 6 * MINUTE);
      const roll = random();
      const role = roll < 0.3 ? 'A' : roll < 0.6 ? 'B' : roll < 0.7 ? 'C' : 'X';
      events.push({ time, role });
      const event =
        role === 'C' ? track(profileId, 'Order Completed', time, { order_id: `o${step}` }) : track(profileId, 'Product Viewed', time, { product_id: role === 'X' ? 'X' : role });
      const delay = random() < 0.33 ? Math.floor(random() * (LATENESS - 100)) : 0;
      arrivals.push({ arrival: time + delay, order: arrivals.length, event });
    }
    byProfile.set(profileId, events);
    end = Math.max(end, time);
  }
  arrivals.sort((left, right) => left.arrival - right.arrival || left.order - right.order);
  return { stream: arrivals.map((entry) => entry.event), byProfile, end };
}

/**
 * The specification, written directly on the event-time history: each B is
 * matched to the latest unused A before it (within 10 min) unless an order
 * lies between them; a match uses up every A before that B.
 */
function expectedMatches(byProfile: Generated['byProfile']): Set<string> {
  const matches = new Set<string>();
  for (const [profileId, events] of byProfile) {
    const sorted = [...events].sort((left, right) => left.time - right.time);
    const times = (role: string) => sorted.filter((event) => event.role === role).map((event) => event.time);
    const firsts = times('A');
    const orders = times('C');
    let usedBefore = Number.NEGATIVE_INFINITY;
    for (const b of times('B')) {
      const candidates = firsts.filter((a) => a >= usedBefore && a < b);
      const a = candidates[candidates.length - 1];
      if (a === undefined || b - a > WITHIN || orders.some((c) => c > a && c < b)) continue;
      matches.add(`${profileId}@${a}->${b}`);
      usedBefore = b;
    }
  }
  return matches;
}

async function runLive(stream: readonly ProfileEvent[], batchSize: number, end: number) {
  const { engine, repository } = engineFor(TRIGGERS);
  for (let index = 0; index < stream.length; index += batchSize) await engine.processEvents(stream.slice(index, index + batchSize));
  await engine.advanceTo(end + LATENESS + 1);
  return repository;
}

describe('sequence: viewed A then B within 10 min without an order', () => {
  it('fires exactly for the matching sequences of a generated stream with late events', async () => {
    const generated = generate(20261203, 400, 24);
    const expected = expectedMatches(generated.byProfile);
    expect(expected.size).toBeGreaterThan(300); // the stream is not trivially empty
    const repository = await runLive(generated.stream, 64, generated.end);
    const fired = new Set(repository.outbox.map((action) => `${action.profileId}@${action.anchorAt}->${action.occurredAt}`));
    expect(fired).toEqual(expected);
    expect(repository.outbox).toHaveLength(expected.size);
    expect(repository.heldByReason.get('too_late')).toBeUndefined();
    expect(repository.outbox.every((action) => action.payload.product === 'B')).toBe(true);
  });

  it('decides the same whatever the batch size (arrival order is all that matters)', async () => {
    const generated = generate(7, 120, 20);
    const ids = async (size: number) => (await runLive(generated.stream, size, generated.end)).outbox.map((action) => action.id).sort();
    expect(await ids(1)).toEqual(await ids(500));
  });

  it('does not fire when the order between A and B arrives after B', async () => {
    const { engine, repository } = engineFor(TRIGGERS);
    await engine.processEvents([track('p1', 'Product Viewed', T0, { product_id: 'A' }), track('p1', 'Product Viewed', T0 + 4 * MINUTE, { product_id: 'B' })]);
    await engine.processEvents([track('p1', 'Order Completed', T0 + 2 * MINUTE)]);
    await engine.advanceTo(T0 + 30 * MINUTE);
    expect(repository.outbox).toHaveLength(0);
  });

  it('pairs a late A with a B that was already seen', async () => {
    const { engine, repository } = engineFor(TRIGGERS);
    await engine.processEvents([track('p1', 'Product Viewed', T0 + 4 * MINUTE, { product_id: 'B' })]);
    await engine.processEvents([track('p1', 'Product Viewed', T0 + 1 * MINUTE, { product_id: 'A' })]);
    await engine.advanceTo(T0 + 30 * MINUTE);
    expect(repository.outbox.map((action) => [action.anchorAt, action.occurredAt, action.dueAt])).toEqual([[T0 + MINUTE, T0 + 4 * MINUTE, T0 + 4 * MINUTE]]);
  });
});
