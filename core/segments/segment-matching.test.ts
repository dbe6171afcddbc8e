import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng.js';
import type { ClusterKind } from './cluster-profile.js';
import { assignSegmentIdentities, featureSpread, type CurrentCluster, type PreviousRun } from './segment-matching.js';
import { syntheticProfile } from './synthetic-profile.test-support.js';

const FEATURES = ['recency_days', 'frequency', 'monetary'];

/** Last week's run: four segments in standardized (recency, frequency, monetary) space. */
const LAST_WEEK: PreviousRun = {
  features: FEATURES,
  nextNumber: 7, // kmeans-5 and kmeans-6 were retired in earlier runs
  segments: [
    { id: 'kmeans-1', name: 'Champions', kind: 'cluster', centroid: [-1.0, 1.5, 1.4], size: 600 },
    { id: 'kmeans-2', name: 'Lapsed', kind: 'cluster', centroid: [1.4, -0.8, -0.7], size: 1_100 },
    { id: 'kmeans-3', name: 'New customers', kind: 'cluster', centroid: [-0.9, -0.6, -0.5], size: 900 },
    { id: 'kmeans-4', name: 'Big spenders', kind: 'cluster', centroid: [0.1, 0.4, 0.6], size: 1_700 },
    { id: 'kmeans-unusual', name: 'Unusual', kind: 'noise', centroid: [], size: 40 },
  ],
};

interface Cluster {
  label: number;
  centroid: number[];
  kind?: ClusterKind;
}

/** This week's clusters and the profiles naming reads (z-scores ≈ the centroid, for realism). */
function thisWeek(clusters: readonly Cluster[]) {
  const current: CurrentCluster[] = clusters.map(({ label, centroid, kind }) => ({ label, kind: kind ?? 'cluster', centroid, size: 500 }));
  const profiles = clusters.map(({ label, centroid, kind }) =>
    syntheticProfile(label, Object.fromEntries(FEATURES.map((feature, index) => [feature, centroid[index] ?? 0])), kind),
  );
  return { segmentation: 'kmeans', current, profiles, previous: LAST_WEEK, features: FEATURES };
}

/** Last week's centroids moved by up to ±0.1 on each axis, in a new label order. */
function jitteredAndShuffled(seed: number): Cluster[] {
  const rng = createRng(seed);
  const moved = LAST_WEEK.segments
    .filter((segment) => segment.kind === 'cluster')
    .map((segment) => segment.centroid.map((value) => value + (rng.next() - 0.5) * 0.2));
  const order = [2, 0, 3, 1];
  return order.map((source, label) => ({ label, centroid: moved[source]! }));
}

describe('assignSegmentIdentities', () => {
  it('keeps ids and names when centroids move a little and the model numbers clusters differently', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const result = assignSegmentIdentities(thisWeek(jitteredAndShuffled(seed)));
      expect(result.segments.map((segment) => [segment.label, segment.id, segment.name])).toEqual([
        [0, 'kmeans-3', 'New customers'],
        [1, 'kmeans-1', 'Champions'],
        [2, 'kmeans-4', 'Big spenders'],
        [3, 'kmeans-2', 'Lapsed'],
      ]);
      expect(result.segments.every((segment) => segment.status === 'kept' && segment.nameSource === 'kept')).toBe(true);
      expect(Math.max(...result.segments.map((segment) => segment.moved!))).toBeLessThan(0.18);
      expect(result.retired.map((segment) => segment.id)).toEqual(['kmeans-unusual']);
      expect(result.nextNumber).toBe(7);
    }
  });

  it('gives a far-away new cluster a new id, never reusing a retired number, and a fresh name', () => {
    const clusters = [...jitteredAndShuffled(1), { label: 4, centroid: [-0.4, 4.0, 5.0] }];
    const result = assignSegmentIdentities(thisWeek(clusters));
    const added = result.segments[4]!;
    expect(added).toMatchObject({ id: 'kmeans-7', status: 'new', nameSource: 'generated', moved: null });
    // Its best archetypes are held (Big spenders by kmeans-4, Champions by kmeans-1): it gets the next best.
    expect(added.name).toBe('Loyal regulars');
    expect(added.reason).toBe('Loyal regulars: frequency +4.0σ, days since last order -0.4σ');
    expect(result.nextNumber).toBe(8);
    expect(result.segments.slice(0, 4).every((segment) => segment.status === 'kept')).toBe(true);
  });

  it('retires a segment whose cluster vanished, and explains why', () => {
    const withoutLapsed = jitteredAndShuffled(2).filter((cluster) => cluster.label !== 3);
    const result = assignSegmentIdentities(thisWeek(withoutLapsed));
    expect(result.segments.map((segment) => segment.id)).toEqual(['kmeans-3', 'kmeans-1', 'kmeans-4']);
    const lapsed = result.retired.find((segment) => segment.id === 'kmeans-2')!;
    expect(lapsed).toMatchObject({ name: 'Lapsed', previousSize: 1_100 });
    expect(lapsed.reason).toMatch(/no cluster of this run within 0\.87 of its centroid \(nearest \d\.\d\d\)/);
  });

  it('does not let a cluster that moved beyond the threshold keep its identity', () => {
    const clusters = jitteredAndShuffled(3);
    clusters[3] = { label: 3, centroid: [3.0, -0.8, -0.7] }; // Lapsed drifted 1.6 along recency
    const result = assignSegmentIdentities(thisWeek(clusters));
    expect(result.segments[3]).toMatchObject({ id: 'kmeans-7', status: 'new' });
    expect(result.retired.map((segment) => segment.id)).toContain('kmeans-2');
    // A larger threshold (configurable) accepts the drift.
    const lenient = assignSegmentIdentities({ ...thisWeek(clusters), maxDistance: 2 });
    expect(lenient.segments[3]).toMatchObject({ id: 'kmeans-2', name: 'Lapsed', status: 'kept' });
    expect(lenient.maxDistance).toBe(2);
  });

  it('keeps as many ids as it can rather than pairing the closest centroids greedily', () => {
    // Greedy pairs Big spenders' centroid with the new cluster 0 (0.4 away) and then
    // cannot match Champions within the threshold; the assignment keeps both.
    const previous: PreviousRun = {
      segments: [
        { id: 'kmeans-1', name: 'Champions', kind: 'cluster', centroid: [0, 0, 0], size: 10 },
        { id: 'kmeans-2', name: 'Big spenders', kind: 'cluster', centroid: [1, 0, 0], size: 10 },
      ],
    };
    const clusters = [
      { label: 0, centroid: [0.6, 0, 0] },
      { label: 1, centroid: [1.7, 0, 0] },
    ];
    const result = assignSegmentIdentities({ ...thisWeek(clusters), previous });
    expect(result.segments.map((segment) => segment.id)).toEqual(['kmeans-1', 'kmeans-2']);
    expect(result.retired).toEqual([]);
  });

  it('lets a pinned name win over the kept one and over a generated one', () => {
    const clusters = [...jitteredAndShuffled(4), { label: 4, centroid: [0, 0, 0], kind: 'noise' as const }];
    const result = assignSegmentIdentities({
      ...thisWeek(clusters),
      pinnedNames: { 'kmeans-4': 'Champions', 'kmeans-9': 'VIP', 'kmeans-unusual': 'Review by hand' },
    });
    const byId = Object.fromEntries(result.segments.map((segment) => [segment.id, segment]));
    expect(byId['kmeans-4']).toMatchObject({ name: 'Champions', nameSource: 'pinned' });
    expect(byId['kmeans-unusual']).toMatchObject({ name: 'Review by hand', nameSource: 'pinned', status: 'kept' });
    // kmeans-1 was "Champions"; the pin took that name, so it is renamed from its profile.
    expect(byId['kmeans-1']).toMatchObject({ nameSource: 'generated' });
    expect(byId['kmeans-1']!.name).not.toBe('Champions');
    expect(result.warnings).toEqual([
      'Pinned name "VIP" is for segment kmeans-9, which this run does not have (retired or never existed)',
      'Segment kmeans-1 was "Champions", a name now pinned to another segment or held twice; it gets a new name',
    ]);
  });

  it('warns when two segments are pinned to the same name', () => {
    const result = assignSegmentIdentities({ ...thisWeek(jitteredAndShuffled(1)), pinnedNames: { 'kmeans-1': 'VIP', 'kmeans-2': 'vip' } });
    expect(result.warnings).toContain('Segments kmeans-1 and kmeans-2 are both pinned to "vip"; give them different names');
  });

  it('treats every cluster as new when the features changed, instead of comparing unlike centroids', () => {
    const result = assignSegmentIdentities({ ...thisWeek(jitteredAndShuffled(5)), features: ['recency_days', 'frequency', 'tenure_days'] });
    expect(result.segments.map((segment) => segment.id)).toEqual(['kmeans-7', 'kmeans-8', 'kmeans-9', 'kmeans-10']);
    expect(result.retired).toHaveLength(5);
    expect(result.warnings[0]).toMatch(/^Features changed from \[recency_days, frequency, monetary\]/);
  });

  it('numbers the first run from 1', () => {
    const result = assignSegmentIdentities({ ...thisWeek(jitteredAndShuffled(1)), previous: undefined });
    expect(result.segments.map((segment) => segment.id)).toEqual(['kmeans-1', 'kmeans-2', 'kmeans-3', 'kmeans-4']);
    expect(new Set(result.segments.map((segment) => segment.name)).size).toBe(4);
    expect(result.nextNumber).toBe(5);
  });
});

describe('featureSpread', () => {
  it('is √d for standardized features and the default threshold is half of it', () => {
    const rng = createRng(7);
    const rows = 2_000;
    const raw = Array.from({ length: 3 }, () => Array.from({ length: rows }, () => rng.normal() * 5 + 3));
    const data = new Float64Array(rows * 3);
    raw.forEach((column, index) => {
      const mean = column.reduce((sum, value) => sum + value, 0) / rows;
      const std = Math.sqrt(column.reduce((sum, value) => sum + (value - mean) ** 2, 0) / rows);
      column.forEach((value, row) => (data[row * 3 + index] = (value - mean) / std));
    });
    expect(featureSpread({ rows, columns: 3, data })).toBeCloseTo(Math.sqrt(3), 9);
    expect(assignSegmentIdentities(thisWeek(jitteredAndShuffled(1))).maxDistance).toBeCloseTo(Math.sqrt(3) / 2, 12);
  });
});
