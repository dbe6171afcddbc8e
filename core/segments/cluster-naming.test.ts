import { describe, expect, it } from 'vitest';
import { ARCHETYPES } from './cluster-archetypes.js';
import { nameClusters } from './cluster-naming.js';
import { ANOMALOUS_LABEL, NOISE_LABEL } from './cluster-profile.js';
import { syntheticProfile } from './synthetic-profile.test-support.js';

const z = (recency: number, frequency: number, monetary: number, sessions: number, depth: number, tenure: number) => ({
  recency_days: recency,
  frequency,
  monetary,
  sessions_per_week: sessions,
  engagement_depth: depth,
  tenure_days: tenure,
});

/** A store's clusters, one per archetype, as a behavioural model would find them. */
const STORE = {
  'Power users': z(-0.8, 1.8, 0.9, 1.5, 0.9, 0.5),
  'Big spenders': z(-0.1, 0.3, 2.6, 0.1, 0.2, 0.4),
  Lapsed: z(1.6, -0.4, -0.3, -0.6, -0.4, 0.6),
  'New customers': z(-0.7, -0.35, -0.3, 0.2, -0.2, -1.3),
  'Window shoppers': z(0.1, -0.4, -0.35, 0.9, 1.1, 0),
  'Churn risk': z(1.0, 0.6, 0.4, -0.3, 0.1, 0.8),
  'Occasional buyers': z(0.2, -0.5, -0.3, -0.3, -0.2, 0.1),
  'Typical customers': z(0.1, 0.2, -0.1, 0.3, -0.2, 0.1),
};

describe('nameClusters', () => {
  it('names each clear cluster after its archetype', () => {
    const expected = Object.keys(STORE);
    const profiles = Object.values(STORE).map((zScores, label) => syntheticProfile(label, zScores));
    const names = nameClusters(profiles);
    expect(names.map((named) => named.name)).toEqual(expected);
    expect(names.map((named) => named.label)).toEqual(expected.map((_, label) => label));
  });

  it('gives the reason with the numbers behind the name, most distinctive first', () => {
    const [power, lapsed] = nameClusters([syntheticProfile(0, STORE['Power users']), syntheticProfile(1, STORE.Lapsed)]);
    expect(power!.reason).toBe('Power users: frequency +1.8σ, sessions/week +1.5σ, days since last order -0.8σ');
    expect(lapsed!.reason).toBe('Lapsed: days since last order +1.6σ with frequency -0.4σ');
  });

  it('reads high recency_days as long gone, never as recent', () => {
    const longGone = nameClusters([syntheticProfile(0, { recency_days: 1.2, frequency: -0.3, monetary: -0.2 })])[0]!;
    expect(longGone.name).toBe('Lapsed');
    const recent = nameClusters([syntheticProfile(0, { recency_days: -1.2, frequency: 0.9, monetary: 0.1 })])[0]!;
    expect(recent.name).toBe('Loyal regulars');
  });

  it('never gives two clusters the same name; the better fit keeps the plain name', () => {
    const profiles = [
      syntheticProfile(0, { monetary: 1.5, recency_days: 0.1, frequency: 0.1, tenure_days: 0.6 }),
      syntheticProfile(1, { monetary: 3.0, recency_days: -0.1, frequency: 0.2, tenure_days: 0.1 }),
      syntheticProfile(2, { monetary: 1.2, recency_days: 0.2, frequency: 0.3, tenure_days: 0.1 }),
    ];
    const names = nameClusters(profiles);
    expect(names[1]!.name).toBe('Big spenders');
    // The weaker big spender is told apart by how it differs from the one holding the name.
    expect(names[0]!.name).toBe('Big spenders (longer tenure)');
    expect(names[0]!.reason).toBe('Big spenders (longer tenure): spend +1.5σ; tenure +0.6σ vs +0.1σ in "Big spenders"');
    expect(new Set(names.map((named) => named.name.toLowerCase())).size).toBe(3);
  });

  it('falls back to a cluster’s second-best archetype before adding a qualifier', () => {
    const names = nameClusters([
      syntheticProfile(0, z(-0.6, 1.2, 0.3, 0.9, 0.2, 0.6)),
      syntheticProfile(1, z(-0.9, 2.0, 0.9, 1.8, 0.8, 0.2)),
    ]);
    expect(names[1]!.name).toBe('Power users');
    expect(names[0]!.name).toBe('Loyal regulars');
  });

  it('stays unique on many near-identical clusters', () => {
    const profiles = Array.from({ length: 12 }, (_, label) => syntheticProfile(label, { monetary: 1 + label / 10, frequency: 0.1 }));
    const names = nameClusters(profiles).map((named) => named.name.toLowerCase());
    expect(new Set(names).size).toBe(12);
  });

  it('avoids names other segments already hold, whatever their case', () => {
    const named = nameClusters([syntheticProfile(0, STORE['Power users'])], { reservedNames: ['power USERS'] })[0]!;
    expect(named.name).toBe('Champions');
    // Its only archetype is held by a segment whose profile naming does not see: qualified by its own strongest other trait.
    const spender = nameClusters([syntheticProfile(0, { monetary: 1.5, tenure_days: -0.7 })], { reservedNames: ['Big spenders'] })[0]!;
    expect(spender.name).toBe('Big spenders (short tenure)');
  });

  it('names DBSCAN noise "Unusual" and isolation-forest anomalies "Anomalous"', () => {
    const names = nameClusters([
      syntheticProfile(NOISE_LABEL, { monetary: 4, frequency: 2 }, 'noise'),
      syntheticProfile(ANOMALOUS_LABEL, { monetary: 6 }, 'anomalous'),
      syntheticProfile(0, STORE.Lapsed),
    ]);
    expect(names.map((named) => named.name)).toEqual(['Unusual', 'Anomalous', 'Lapsed']);
    expect(names[0]!.reason).toContain('spend +4.0σ');
  });

  it('uses a discount feature for bargain hunters and windowed features as their base', () => {
    const [bargain, loyal] = nameClusters([
      syntheticProfile(0, { discount_share: 1.5, avg_order_value: -0.4, frequency: 0.2 }),
      syntheticProfile(1, { frequency_90d: 1.2, recency_days: -0.6 }),
    ]);
    expect(bargain!.name).toBe('Bargain hunters');
    expect(bargain!.reason).toBe('Bargain hunters: discount share +1.5σ, order value -0.4σ');
    expect(loyal!.name).toBe('Loyal regulars');
    expect(loyal!.reason).toContain('frequency (90d) +1.2σ');
  });

  it('describes a cluster no archetype fits by its top two features', () => {
    const named = nameClusters([syntheticProfile(3, { support_tickets: 2.1, nps: -1.4, frequency: 0.1 })])[0]!;
    expect(named).toMatchObject({ name: 'High support tickets · low nps', archetype: null });
    expect(named.reason).toContain('support tickets +2.1σ, nps -1.4σ');
  });

  it('keeps every archetype reachable: each is the best name for its own textbook cluster', () => {
    // Guards against a table edit that makes one archetype shadow another.
    const textbook: Record<string, Record<string, number>> = {
      'Cart abandoners': { cart_abandonment_rate: 1.6, frequency: -0.1 },
      Champions: { recency_days: -1.0, frequency: 1.4, monetary: 1.5 },
      'Window shoppers': { product_views: 2.0, frequency: -0.6 },
      'Loyal regulars': { recency_days: -0.8, frequency: 1.0, tenure_days: 1.0, monetary: 0.2 },
      'Potential loyalists': { recency_days: -1.2, frequency: 0.2, monetary: 0.1 },
    };
    for (const [name, zScores] of Object.entries({ ...STORE, ...textbook, 'Bargain hunters': { discount_share: 2 } })) {
      expect(nameClusters([syntheticProfile(0, zScores)])[0]!.name).toBe(name);
    }
    expect(ARCHETYPES.map((archetype) => archetype.name).sort()).toEqual(
      Object.keys({ ...STORE, ...textbook, 'Bargain hunters': 0 }).sort(),
    );
  });
});
