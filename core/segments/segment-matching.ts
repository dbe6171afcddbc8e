import type { FeatureMatrix } from '../models/feature-matrix.js';
import { describeDeviations, nameClusters, nameKey } from './cluster-naming.js';
import type { ClusterKind, ClusterProfile } from './cluster-profile.js';
import { solveAssignment } from './hungarian.js';

/**
 * Stable segment identity across runs. A weekly re-clustering numbers its
 * clusters arbitrarily; users' lists, CRM fields and flows hang off segment
 * ids and names, so the new clusters are paired with the previous run's by
 * centroid (minimum total Euclidean distance, Hungarian algorithm) and a pair
 * keeps the old id and name. A cluster with no previous centroid close enough
 * is a new segment (new id, fresh name); a previous segment nobody claims is
 * retired.
 */
export interface PreviousSegment {
  id: string;
  name: string;
  kind: ClusterKind;
  /** Centroid in the model's scaled feature space; ignored for noise and anomalous segments. */
  centroid: readonly number[];
  size: number;
}

export interface PreviousRun {
  segments: readonly PreviousSegment[];
  /** Feature columns of the centroids; when they differ from this run's, no centroid can be compared. */
  features?: readonly string[];
  /** The number the next new id takes (store what the last run returned): retired ids are never reused. */
  nextNumber?: number;
}

export interface CurrentCluster {
  label: number;
  kind: ClusterKind;
  /** In the same scaled space as the previous centroids. */
  centroid: readonly number[];
  size: number;
}

export interface SegmentIdentityInput {
  /** The segmentation's id in the YAML; new ids are `<segmentation>-<n>`. */
  segmentation: string;
  current: readonly CurrentCluster[];
  /** This run's profiles, by label: fresh names are made from them. */
  profiles: readonly ClusterProfile[];
  previous?: PreviousRun;
  features?: readonly string[];
  /** Names pinned in YAML, by segment id: always win over kept and generated names. */
  pinnedNames?: Readonly<Record<string, string>>;
  /**
   * Farthest a centroid may move and still be the same segment, in scaled units.
   * @default 0.5 × dataSpread
   */
  maxDistance?: number;
  /**
   * Root-mean-square distance of the profiles from their mean in the scaled
   * space (featureSpread). The default threshold is half of it: a centroid
   * that moved half the typical customer's distance from the centre of the
   * data now describes other customers. Measured on Online Retail (log1p R,
   * F, M standardized, so spread √3 and threshold 0.87): adding 5% customers
   * and re-seeding k-means moved centroids 0.005–0.19 for k = 4…8, while
   * the two closest clusters' centroids were 1.19–1.51 apart, so the threshold
   * sits well between "the same segment, re-estimated" and "another one".
   * @default √d, exact for standardized features (each has variance 1)
   */
  dataSpread?: number;
}

export interface IdentifiedSegment {
  id: string;
  label: number;
  kind: ClusterKind;
  name: string;
  nameSource: 'pinned' | 'kept' | 'generated';
  status: 'kept' | 'new';
  /** How far the centroid moved since the previous run; null for new, noise and anomalous segments. */
  moved: number | null;
  reason: string;
  size: number;
  centroid: readonly number[];
}

export interface RetiredSegment {
  id: string;
  name: string;
  previousSize: number;
  reason: string;
}

export interface SegmentIdentities {
  /** In the order of `current`. */
  segments: IdentifiedSegment[];
  retired: RetiredSegment[];
  /** Store it with the segments: the next run's `previous.nextNumber`. */
  nextNumber: number;
  maxDistance: number;
  /** Things the user should know (pins that name no segment, features that changed). */
  warnings: string[];
}

interface Continuation {
  segment: PreviousSegment;
  /** Centroid distance; null for noise and anomalous groups (matched by kind). */
  moved: number | null;
}

export function assignSegmentIdentities(input: SegmentIdentityInput): SegmentIdentities {
  const previous = input.previous?.segments ?? [];
  const seenIds = new Set<string>();
  for (const segment of previous) {
    if (seenIds.has(segment.id)) throw new RangeError(`Previous segments repeat the id "${segment.id}"; ids must be unique`);
    seenIds.add(segment.id);
  }
  // The features give the dimensions even when every profile is noise (no cluster centroid to measure).
  const dimensions = input.features?.length ?? input.current.find((cluster) => cluster.kind === 'cluster')?.centroid.length ?? 0;
  const maxDistance = input.maxDistance ?? 0.5 * (input.dataSpread ?? Math.sqrt(dimensions));
  if (!(maxDistance >= 0) || !Number.isFinite(maxDistance)) throw new RangeError(`maxDistance must be a finite number ≥ 0, got ${maxDistance}`);
  const warnings: string[] = [];

  const { continuations, nearest } = matchPrevious(input, previous, dimensions, maxDistance, warnings);
  let nextNumber = nextIdNumber(input.segmentation, previous, input.previous?.nextNumber);
  const ids = input.current.map((_, index) => continuations.get(index)?.segment.id ?? `${input.segmentation}-${nextNumber++}`);
  const profileOf = (label: number): ClusterProfile => {
    const profile = input.profiles.find((candidate) => candidate.label === label);
    if (!profile) throw new RangeError(`No profile for cluster label ${label}; profile the same labels you match`);
    return profile;
  };
  const names = chooseNames(input, ids, continuations, profileOf, warnings);

  const segments = input.current.map((cluster, index): IdentifiedSegment => {
    const continued = continuations.get(index);
    const { name, source, reason: generatedReason } = names[index]!;
    const movedText = continued?.moved != null ? ` (centroid moved ${continued.moved.toFixed(2)})` : '';
    const reason = generatedReason
      ?? `${source === 'pinned' ? 'pinned in the configuration' : 'kept from the previous run'}${movedText}; now ${describeDeviations(profileOf(cluster.label).distinguishing)}`;
    return {
      id: ids[index]!, label: cluster.label, kind: cluster.kind, name, nameSource: source,
      status: continued ? 'kept' : 'new', moved: continued?.moved ?? null, reason, size: cluster.size, centroid: cluster.centroid,
    };
  });

  const claimed = new Set([...continuations.values()].map((entry) => entry.segment.id));
  const retired = previous.filter((segment) => !claimed.has(segment.id)).map((segment): RetiredSegment => {
    const distance = nearest.get(segment.id);
    const reason = segment.kind !== 'cluster'
      ? `this run has no ${segment.kind} group`
      : distance === undefined
        ? 'no cluster of this run could be compared with it'
        : distance > maxDistance
          ? `no cluster of this run within ${maxDistance.toFixed(2)} of its centroid (nearest ${distance.toFixed(2)})`
          : `its nearest cluster (${distance.toFixed(2)} away) continues another segment that fits it better`;
    return { id: segment.id, name: segment.name, previousSize: segment.size, reason };
  });
  return { segments, retired, nextNumber, maxDistance, warnings };
}

/** Which previous segment each current cluster continues (by index in `current`), and each previous centroid's nearest distance. */
function matchPrevious(
  input: SegmentIdentityInput,
  previous: readonly PreviousSegment[],
  dimensions: number,
  maxDistance: number,
  warnings: string[],
): { continuations: Map<number, Continuation>; nearest: Map<string, number> } {
  const continuations = new Map<number, Continuation>();
  // Noise and anomalies are one segment each, whatever their centroid: they keep their id by kind.
  input.current.forEach((cluster, index) => {
    if (cluster.kind === 'cluster') return;
    const segment = previous.find((candidate) => candidate.kind === cluster.kind);
    if (segment) continuations.set(index, { segment, moved: null });
  });
  const nearest = new Map<string, number>();
  const previousClusters = previous.filter((segment) => segment.kind === 'cluster');
  const currentIndexes = input.current.flatMap((cluster, index) => (cluster.kind === 'cluster' ? [index] : []));
  if (!centroidsComparable(input, previousClusters, currentIndexes, dimensions, warnings)) return { continuations, nearest };
  if (previousClusters.length === 0 || currentIndexes.length === 0) return { continuations, nearest };

  const distances = previousClusters.map((segment) =>
    currentIndexes.map((index) => euclidean(segment.centroid, input.current[index]!.centroid)),
  );
  // A pair beyond the threshold costs more than any set of pairs within it can
  // add up to, so the assignment keeps as many ids as possible first, then
  // minimizes distance. (Merely capping at the threshold would trade two
  // matches at 0.6 and 0.7 for one at 0.4 and a retirement.)
  const beyond = maxDistance * Math.min(previousClusters.length, currentIndexes.length) + 1;
  const assignment = solveAssignment(distances.map((row) => row.map((distance) => (distance <= maxDistance ? distance : beyond))));
  previousClusters.forEach((segment, row) => {
    nearest.set(segment.id, Math.min(...distances[row]!));
    const column = assignment.rowToColumn[row]!;
    if (column >= 0 && distances[row]![column]! <= maxDistance) {
      continuations.set(currentIndexes[column]!, { segment, moved: distances[row]![column]! });
    }
  });
  return { continuations, nearest };
}

interface ChosenName {
  name: string;
  source: IdentifiedSegment['nameSource'];
  /** Only for generated names: naming's reason. */
  reason?: string;
}

/** Pins first, then names kept from the previous run, then fresh names (avoiding both) for the rest. */
function chooseNames(
  input: SegmentIdentityInput,
  ids: readonly string[],
  continuations: ReadonlyMap<number, Continuation>,
  profileOf: (label: number) => ClusterProfile,
  warnings: string[],
): ChosenName[] {
  const pins = input.pinnedNames ?? {};
  const names = new Array<ChosenName | undefined>(ids.length);
  const taken = new Map<string, string>(); // name key → id holding it
  for (const [id, name] of Object.entries(pins)) {
    const index = ids.indexOf(id);
    if (index < 0) {
      warnings.push(`Pinned name "${name}" is for segment ${id}, which this run does not have (retired or never existed)`);
      continue;
    }
    const holder = taken.get(nameKey(name));
    if (holder !== undefined) warnings.push(`Segments ${holder} and ${id} are both pinned to "${name}"; give them different names`);
    names[index] = { name, source: 'pinned' };
    taken.set(nameKey(name), id);
  }
  ids.forEach((id, index) => {
    const kept = continuations.get(index)?.segment.name;
    if (names[index] || kept === undefined) return;
    if (taken.has(nameKey(kept))) {
      warnings.push(`Segment ${id} was "${kept}", a name now pinned to another segment or held twice; it gets a new name`);
      return;
    }
    names[index] = { name: kept, source: 'kept' };
    taken.set(nameKey(kept), id);
  });
  const unnamed = ids.flatMap((_, index) => (names[index] ? [] : [index]));
  const fresh = nameClusters(unnamed.map((index) => profileOf(input.current[index]!.label)), { reservedNames: taken.keys() });
  unnamed.forEach((index, position) => {
    names[index] = { name: fresh[position]!.name, source: 'generated', reason: fresh[position]!.reason };
  });
  return names as ChosenName[];
}

/** Root-mean-square distance of the rows from their mean (√ of the summed column variances), NaN ignored per column. */
export function featureSpread(matrix: FeatureMatrix): number {
  let total = 0;
  for (let column = 0; column < matrix.columns; column++) {
    let count = 0;
    let mean = 0;
    let squares = 0;
    for (let row = 0; row < matrix.rows; row++) {
      const value = matrix.data[row * matrix.columns + column]!;
      if (Number.isNaN(value)) continue;
      count++;
      const delta = value - mean; // Welford: one pass, no cancellation on large means
      mean += delta / count;
      squares += delta * (value - mean);
    }
    if (count > 0) total += squares / count;
  }
  return Math.sqrt(total);
}

function centroidsComparable(
  input: SegmentIdentityInput,
  previousClusters: readonly PreviousSegment[],
  currentIndexes: readonly number[],
  dimensions: number,
  warnings: string[],
): boolean {
  const before = input.previous?.features;
  const after = input.features;
  if (before && after && (before.length !== after.length || before.some((name, index) => name !== after[index]))) {
    warnings.push(`Features changed from [${before.join(', ')}] to [${after.join(', ')}]: centroids cannot be compared, so every cluster is a new segment`);
    return false;
  }
  const mismatched = [...previousClusters.map((segment) => segment.centroid), ...currentIndexes.map((index) => input.current[index]!.centroid)]
    .some((centroid) => centroid.length !== dimensions);
  if (mismatched) {
    warnings.push(`Centroids have different lengths (expected ${dimensions}): cannot compare runs, so every cluster is a new segment`);
    return false;
  }
  return true;
}

function nextIdNumber(segmentation: string, previous: readonly PreviousSegment[], stored: number | undefined): number {
  // Also look at the ids themselves, in case the stored counter is missing or behind.
  let next = Math.max(1, stored ?? 1);
  const prefix = `${segmentation}-`;
  for (const segment of previous) {
    if (!segment.id.startsWith(prefix)) continue;
    const number = Number(segment.id.slice(prefix.length));
    if (Number.isInteger(number) && number >= next) next = number + 1;
  }
  return next;
}

function euclidean(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let index = 0; index < a.length; index++) sum += (a[index]! - b[index]!) ** 2;
  return Math.sqrt(sum);
}
