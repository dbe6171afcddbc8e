import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRng } from '../random/rng.js';
import type { FeatureMatrix } from '../models/feature-matrix.js';
import { kmeans } from '../models/kmeans.js';
import { profileClusters } from './cluster-profile.js';
import { migrationMatrix } from './migration-matrix.js';
import { assignSegmentIdentities, type PreviousRun, type SegmentIdentities } from './segment-matching.js';

/**
 * The stability check on real data: Online Retail's customers
 * (log1p R, F, M, standardized) clustered one week, then again after 5% new
 * customers arrive, with a different k-means seed so the model numbers its
 * clusters differently. Every segment must keep its id and name, and fewer
 * than 5% of the customers present both weeks may change segment.
 */
const FEATURES = ['recency_days', 'frequency', 'monetary'];

interface Customer {
  id: string;
  values: number[];
}

function onlineRetailCustomers(): Customer[] {
  const url = new URL('../../test/fixtures/online-retail/rfm-customers.csv', import.meta.url);
  const [header, ...lines] = readFileSync(fileURLToPath(url), 'utf8').trim().split('\n');
  const names = header!.split(',');
  const picked = FEATURES.map((name) => names.indexOf(name));
  return lines.map((line) => {
    const cells = line.split(',');
    return { id: cells[0]!, values: picked.map((index) => Number(cells[index])) };
  });
}

/** 5% newcomers who behave like existing customers, give or take a few days and 10% of spend. */
function withNewcomers(customers: readonly Customer[], seed: number): Customer[] {
  const rng = createRng(seed);
  const newcomers = Array.from({ length: Math.ceil(customers.length * 0.05) }, (_, index): Customer => {
    const [recency, frequency, monetary] = rng.pick(customers).values as [number, number, number];
    return { id: `new-${index}`, values: [Math.max(0, recency + rng.int(11) - 5), frequency, monetary * (0.9 + 0.2 * rng.next())] };
  });
  return [...customers, ...newcomers];
}

function standardizedLog1p(raw: FeatureMatrix): FeatureMatrix {
  const { rows, columns } = raw;
  const data = raw.data.map(Math.log1p);
  for (let column = 0; column < columns; column++) {
    let sum = 0;
    for (let row = 0; row < rows; row++) sum += data[row * columns + column]!;
    const mean = sum / rows;
    let squares = 0;
    for (let row = 0; row < rows; row++) squares += (data[row * columns + column]! - mean) ** 2;
    const deviation = Math.sqrt(squares / rows);
    for (let row = 0; row < rows; row++) data[row * columns + column] = (data[row * columns + column]! - mean) / deviation;
  }
  return { rows, columns, data };
}

async function segmentationRun(customers: readonly Customer[], k: number, seed: number, previous?: PreviousRun) {
  const raw: FeatureMatrix = { rows: customers.length, columns: FEATURES.length, data: Float64Array.from(customers.flatMap((customer) => customer.values)) };
  const model = await kmeans(standardizedLog1p(raw), { k, seed, workers: 0 });
  const profiles = profileClusters({ matrix: raw, columnNames: FEATURES, labels: model.labels, log1pColumns: FEATURES });
  const current = profiles.clusters.map((profile) => ({
    label: profile.label,
    kind: profile.kind,
    size: profile.size,
    centroid: Array.from(model.centroids.subarray(profile.label * FEATURES.length, (profile.label + 1) * FEATURES.length)),
  }));
  const identities = assignSegmentIdentities({ segmentation: 'kmeans', current, profiles: profiles.clusters, features: FEATURES, previous });
  const idByLabel = new Map(identities.segments.map((segment) => [segment.label, segment.id]));
  const membership = new Map(customers.map((customer, row) => [customer.id, idByLabel.get(model.labels[row]!)!]));
  return { identities, membership };
}

function asPrevious(identities: SegmentIdentities): PreviousRun {
  const segments = identities.segments.map(({ id, name, kind, centroid, size }) => ({ id, name, kind, centroid, size }));
  return { segments, features: FEATURES, nextNumber: identities.nextNumber };
}

describe('segment identity on Online Retail, week over week', () => {
  const lastWeek = onlineRetailCustomers();
  const thisWeek = withNewcomers(lastWeek, 11);

  it.each([4, 5, 8])('k = %i: every segment keeps its id and name and under 5 percent of customers move', async (k) => {
    const before = await segmentationRun(lastWeek, k, 1);
    const after = await segmentationRun(thisWeek, k, 2, asPrevious(before.identities));

    const named = (identities: SegmentIdentities) => identities.segments.map(({ id, name }) => `${id} ${name}`).sort();
    expect(named(after.identities)).toEqual(named(before.identities));
    expect(after.identities.segments.every((segment) => segment.status === 'kept')).toBe(true);
    expect(after.identities.retired).toEqual([]);
    expect(new Set(before.identities.segments.map((segment) => segment.name)).size).toBe(k);

    const pairs = thisWeek.map((customer) => [before.membership.get(customer.id) ?? null, after.membership.get(customer.id)!] as const);
    const migration = migrationMatrix(pairs);
    expect(migration.inBoth).toBe(lastWeek.length);
    expect(migration.newProfiles).toBe(thisWeek.length - lastWeek.length);
    expect(migration.movedShare).toBeLessThan(0.05);
  });
});
