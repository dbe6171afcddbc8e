import type { DuckDBConnection } from '@duckdb/node-api';
import type { ModelSegmentationConfig } from '../config/model-schema.js';
import { sqlIdentifier } from '../features/sql-quote.js';
import { fitIsolationForest, scoreSamples } from '../models/isolation-forest.js';
import type { KSelectionRow } from '../models/k-selection.js';
import { pcaEngagementIndex } from '../models/pca-index.js';
import { weightedEngagementScore } from '../models/composite-score.js';
import type { StateStore } from '../store/state/state-store.js';
import { describeDeviations } from './cluster-naming.js';
import { profileClusters, ANOMALOUS_LABEL } from './cluster-profile.js';
import { migrationMatrix, renderMigrationMatrix } from './migration-matrix.js';
import { cluster, type Clustering } from './model-clustering.js';
import { loadModelInput, type ModelInput } from './model-input.js';
import { assignSegmentIdentities, featureSpread, type PreviousRun, type RetiredSegment } from './segment-matching.js';
import { UserError } from '../errors/user-error.js';

/**
 * A model segmentation inside a run: features → model → segments with
 * stable ids and names (matched to the previous run's centroids, kept in
 * SQLite), members written to `segment_members`, and for scores a new
 * feature column. The summary carries what `segflow run` prints.
 */
export interface ModelSegmentationSummary {
  id: string;
  model: ModelSegmentationConfig['model'];
  notes: string[];
  kTable?: KSelectionRow[];
  /** Ward only: the last 50 merges of the dendrogram (node ids as in scipy's linkage matrix). */
  dendrogram?: Clustering['dendrogram'];
  segments: Array<{ id: string; name: string; size: number; status: 'kept' | 'new'; nameSource: string; reason: string; moved: number | null }>;
  retired: RetiredSegment[];
  /** Share of profiles present in both runs that changed segment; null on the first run. */
  movedShare: number | null;
  migrationTable?: string;
  imputed: Record<string, number>;
  /** The feature column a score model added. */
  scoreColumn?: string;
  /** Profiles the model saw (those matching `where`): the base of the segment shares. */
  audience?: number;
  /** Figures to compare and plot: k, inertia, eps, clusters, noise, flagged, explained variance (pc1, pc2 …). */
  metrics: Record<string, number>;
  warnings: string[];
}

export interface BuiltModelSegmentation {
  summary: ModelSegmentationSummary;
  /** Stores this run's segment identities; run only after the segments are swapped in. */
  remember?: () => ModelMemory;
}

/** What identifies a segmentation's space: when any of it changes, the previous centroids cannot be compared. */
function modelSignature(segmentation: ModelSegmentationConfig): string {
  return JSON.stringify({ model: segmentation.model, features: segmentation.features, log1p: [...segmentation.log1p].sort(), scaling: segmentation.scaling, where: segmentation.where ?? null });
}

/** A model identity to remember (a meta key and its JSON), stored only once the run's segments are in place. */
export type ModelMemory = readonly [string, string];

interface StoredModel extends PreviousRun {
  signature?: string;
}

export async function buildModelSegmentation(
  duck: DuckDBConnection,
  state: StateStore,
  segmentation: ModelSegmentationConfig,
  /** The last run stored memberships for this segmentation (the migration matrix reads them in SQL). */
  hadMembers: boolean,
): Promise<BuiltModelSegmentation> {
  const base = { id: segmentation.id, model: segmentation.model, imputed: {}, retired: [], movedShare: null, warnings: [] as string[], notes: [] as string[], segments: [], metrics: {} };
  try {
    return await buildModel(duck, state, segmentation, hadMembers);
  } catch (error) {
    // Too few profiles for this model (an empty `where`, k above the audience, a constant feature):
    // the segmentation is skipped with the reason; the rest of the run, sync included, goes on.
    if (error instanceof UserError || error instanceof RangeError) {
      return { summary: { ...base, warnings: [`skipped this run: ${error.message}`] } };
    }
    throw error;
  }
}

async function buildModel(
  duck: DuckDBConnection,
  state: StateStore,
  segmentation: ModelSegmentationConfig,
  hadMembersIn: boolean,
): Promise<BuiltModelSegmentation> {
  const input = await loadModelInput(duck, segmentation.features, segmentation.log1p, segmentation.scaling, segmentation.id, segmentation.where);
  const base = { id: segmentation.id, model: segmentation.model, imputed: input.imputed, retired: [], movedShare: null, warnings: [] as string[], audience: input.raw.rows };
  const stored = await readPrevious(state, segmentation.id);
  const comparable = stored !== undefined && stored.signature === modelSignature(segmentation);
  if (stored !== undefined && !comparable) base.warnings.push('the model, its features, scaling, log1p or where changed since the last run: segments start afresh (new ids)');
  const previous = comparable ? stored : undefined;
  const hadMembers = comparable && hadMembersIn;
  // Score and anomaly models have no centroids to match; remembering their signature is what lets the
  // next run compare memberships (and notice a change of model under the same id).
  const forget = (): ModelMemory => [`model:${segmentation.id}`, JSON.stringify({ signature: modelSignature(segmentation), features: input.columns, segments: [] } satisfies StoredModel)];
  const imputedNote = Object.entries(input.imputed).map(([name, count]) => `${count.toLocaleString('en-US')} missing ${name} set to the median`);

  if (segmentation.model === 'pca' || segmentation.model === 'weighted_score') {
    const column = `${segmentation.id}_score`;
    let scores: Float64Array;
    const notes = [...imputedNote];
    const metrics: Record<string, number> = {};
    if (segmentation.model === 'pca') {
      const direction = { higher: Object.keys(segmentation.direction).filter((name) => segmentation.direction[name] === 'up'), lower: Object.keys(segmentation.direction).filter((name) => segmentation.direction[name] === 'down') };
      const index = pcaEngagementIndex(input.scaled, input.columns, direction);
      scores = index.scores;
      index.explainedVarianceRatios.forEach((ratio, component) => (metrics[`explained_variance_pc${component + 1}`] = ratio));
      notes.unshift(`PC1 explains ${(100 * index.explainedVarianceRatio).toFixed(1)}% of the variance; loadings ${Object.entries(index.loadings).map(([name, weight]) => `${name} ${weight >= 0 ? '+' : ''}${weight.toFixed(3)}`).join(', ')}`);
    } else {
      scores = weightedEngagementScore(input.scaled, input.columns, segmentation.weights);
      notes.unshift(`score = ${Object.entries(segmentation.weights).map(([name, weight]) => `${weight} × ${name}`).join(' + ')} (scaled features)`);
    }
    await addFeatureColumn(duck, column, input.profileIds, scores);
    return { summary: { ...base, notes, segments: [], scoreColumn: column, metrics }, remember: forget };
  }

  if (segmentation.model === 'isolation_forest') {
    const model = fitIsolationForest(input.scaled, { trees: segmentation.trees, contamination: segmentation.contamination, seed: segmentation.seed });
    // Scored once: the flags (sklearn's predict == −1) and the feature (−score_samples) come from the same pass.
    const scores = scoreSamples(model, input.scaled);
    const flags = new Uint8Array(scores.length);
    for (let row = 0; row < scores.length; row++) flags[row] = (scores[row] as number) - model.offset < 0 ? 1 : 0;
    const column = `${segmentation.id}_anomaly_score`;
    await addFeatureColumn(duck, column, input.profileIds, scores.map((score) => -score));
    const profiles = profileClusters({ matrix: input.raw, columnNames: input.columns, labels: new Int32Array(input.raw.rows), anomalous: flags, log1pColumns: segmentation.log1p });
    const anomalous = profiles.clusters.find((profile) => profile.label === ANOMALOUS_LABEL);
    const id = `${segmentation.id}-anomalous`;
    const name = segmentation.names[id] ?? 'Anomalous';
    const members = input.profileIds.filter((_, row) => flags[row] === 1);
    await writeSegments(duck, segmentation, [{ id, name }], function* () {
      for (const profileId of members) yield [id, profileId] as const;
    });
    const size = members.length;
    return { remember: forget, summary: {
      ...base,
      notes: [`${size.toLocaleString('en-US')} of ${input.raw.rows.toLocaleString('en-US')} profiles isolated faster than the ${segmentation.contamination === 'auto' ? 'auto (−0.5) threshold' : `${segmentation.contamination} contamination threshold`}; score column ${column}`, ...imputedNote],
      segments: [{ id, name, size, status: hadMembers ? 'kept' : 'new', nameSource: segmentation.names[id] ? 'pinned' : 'generated', reason: anomalous ? `unlike the rest: ${describeDeviations(anomalous.distinguishing)}` : 'no profile stands out', moved: null }],
      scoreColumn: column,
      metrics: { flagged: size },
    } };
  }

  const clustering = await cluster(segmentation, input.scaled);
  const profiles = profileClusters({ matrix: input.raw, columnNames: input.columns, labels: clustering.labels, log1pColumns: segmentation.log1p });
  const centroids = labelCentroids(input, clustering.labels);
  const identities = assignSegmentIdentities({
    segmentation: segmentation.id,
    current: profiles.clusters.map((profile) => ({ label: profile.label, kind: profile.kind, centroid: centroids.get(profile.label) ?? [], size: profile.size })),
    profiles: profiles.clusters,
    ...(previous ? { previous } : {}),
    features: input.columns,
    pinnedNames: segmentation.names,
    // The threshold scales with the data's spread in the space the model saw (z-scored, min-max or raw).
    dataSpread: featureSpread(input.scaled),
  });
  const idByLabel = new Map(identities.segments.map((segment) => [segment.label, segment.id]));
  await writeSegments(duck, segmentation, identities.segments.map((segment) => ({ id: segment.id, name: segment.name })), function* () {
    for (let row = 0; row < input.profileIds.length; row++) yield [idByLabel.get(clustering.labels[row] as number) as string, input.profileIds[row] as string] as const;
  });
  const remember = (): ModelMemory => [`model:${segmentation.id}`, JSON.stringify({
    signature: modelSignature(segmentation),
    features: input.columns,
    nextNumber: identities.nextNumber,
    segments: identities.segments.map((segment) => ({ id: segment.id, name: segment.name, kind: segment.kind, centroid: segment.centroid, size: segment.size })),
  } satisfies StoredModel)];

  let movedShare: number | null = null;
  let migrationTable: string | undefined;
  if (previous && hadMembers) {
    // Who moved where, counted in SQL from the last run's memberships and this run's (staged) ones.
    const reader = await duck.runAndReadAll(`
      WITH before AS (SELECT m.profile_id, m.segment_id FROM segment_members m JOIN segments s USING (segment_id) WHERE s.segmentation = $1),
           after AS (SELECT m.profile_id, m.segment_id FROM segment_members_next m JOIN segments_next s USING (segment_id) WHERE s.segmentation = $1)
      SELECT b.segment_id, a.segment_id, count(*) FROM before b FULL OUTER JOIN after a USING (profile_id) GROUP BY ALL`, [segmentation.id]);
    const cells = reader.getRows().map(([from, to, count]) => [from === null ? null : String(from), to === null ? null : String(to), Number(count)] as const);
    const matrix = migrationMatrix((function* () {
      for (const [from, to, count] of cells) for (let index = 0; index < count; index++) yield [from, to] as const;
    })());
    movedShare = matrix.movedShare;
    migrationTable = renderMigrationMatrix(matrix, Object.fromEntries([...previous.segments, ...identities.segments].map((segment) => [segment.id, segment.name])));
  }
  return { remember, summary: {
    ...base,
    notes: [...clustering.notes, ...imputedNote],
    ...(clustering.kTable ? { kTable: clustering.kTable } : {}),
    ...(clustering.dendrogram ? { dendrogram: clustering.dendrogram } : {}),
    segments: identities.segments.map((segment) => ({ id: segment.id, name: segment.name, size: segment.size, status: segment.status, nameSource: segment.nameSource, reason: segment.reason, moved: segment.moved })),
    retired: identities.retired,
    movedShare,
    ...(migrationTable ? { migrationTable } : {}),
    warnings: [...base.warnings, ...identities.warnings],
    metrics: clustering.metrics,
  } };
}

async function readPrevious(state: StateStore, segmentation: string): Promise<StoredModel | undefined> {
  const stored = await state.meta.get(`model:${segmentation}`);
  return stored === undefined ? undefined : (JSON.parse(stored) as StoredModel);
}

/** Each cluster's centroid in the scaled space the model saw (what the next run matches against). */
function labelCentroids(input: ModelInput, labels: Int32Array): Map<number, number[]> {
  const { rows, columns, data } = input.scaled;
  const sums = new Map<number, { sum: Float64Array; count: number }>();
  for (let row = 0; row < rows; row++) {
    const label = labels[row] as number;
    let entry = sums.get(label);
    if (!entry) sums.set(label, (entry = { sum: new Float64Array(columns), count: 0 }));
    for (let column = 0; column < columns; column++) (entry.sum[column] as number) += data[row * columns + column] as number;
    entry.count += 1;
  }
  return new Map([...sums].map(([label, { sum, count }]) => [label, Array.from(sum, (value) => value / count)]));
}

async function writeSegments(duck: DuckDBConnection, segmentation: ModelSegmentationConfig, segments: ReadonlyArray<{ id: string; name: string }>, members: () => Iterable<readonly [string, string]>): Promise<void> {
  for (const segment of segments) await duck.run('INSERT INTO segments_next VALUES ($1, $2, $3, $4)', [segment.id, segment.name, segmentation.id, segmentation.model]);
  const appender = await duck.createAppender('segment_members_next');
  for (const [segmentId, profileId] of members()) {
    appender.appendVarchar(segmentId);
    appender.appendVarchar(profileId);
    appender.endRow();
  }
  appender.closeSync();
}

async function addFeatureColumn(duck: DuckDBConnection, column: string, profileIds: readonly string[], values: Float64Array): Promise<void> {
  await duck.run('CREATE OR REPLACE TEMP TABLE model_scores (profile_id VARCHAR, value DOUBLE)');
  const appender = await duck.createAppender('model_scores');
  profileIds.forEach((profileId, row) => {
    appender.appendVarchar(profileId);
    appender.appendDouble(values[row] as number);
    appender.endRow();
  });
  appender.closeSync();
  await duck.run(`CREATE OR REPLACE TABLE features AS SELECT f.* EXCLUDE (${sqlIdentifier(column)}), s.value AS ${sqlIdentifier(column)} FROM (SELECT *, NULL::DOUBLE AS ${sqlIdentifier(column)} FROM features) f LEFT JOIN model_scores s USING (profile_id) ORDER BY f.profile_id`);
  await duck.run('DROP TABLE model_scores');
}
