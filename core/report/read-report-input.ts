import type { DuckDBConnection } from '@duckdb/node-api';
import type { ModelSegmentationConfig } from '../config/model-schema.js';
import { UserError } from '../errors/user-error.js';
import { sqlIdentifier } from '../features/sql-quote.js';
import type { RunJobSummary } from '../runtime/run-job.js';
import type { Workspace } from '../runtime/workspace.js';
import { embedSample } from './embedding.js';
import { parseMigrationTable } from './migration-table.js';
import type { ClusterProfileGrid, Embedding, ReportInput } from './report-input.js';

/** Profiles drawn for the embedding: enough to see the shape, few enough for a small file at any audience size. */
export const EMBEDDING_SAMPLE = 2_000;
const HISTORY_RUNS = 50;
const QUARANTINE_PATTERNS = 20;

/**
 * The report's I/O edge: the latest successful run (and the ones before it)
 * from the run history, and aggregates from the event store (segment means,
 * a seeded sample for the embedding). Nothing is re-run; nothing is written.
 */
export async function readReportInput(workspace: Workspace): Promise<ReportInput> {
  const records = (await workspace.state.runs.recent(HISTORY_RUNS)).filter((record) => record.status === 'succeeded' && isRunSummary(record.summary));
  const latest = records[0];
  if (latest === undefined || !workspace.hasEvents()) {
    throw new UserError(`no finished run in ${workspace.stateDir} to report on: run \`segflow run ${workspace.mappingFile}\` first`);
  }
  const summary = latest.summary as RunJobSummary;
  const duck = (await workspace.events()).connection;
  const models = summary.models.filter((model) => model.segments.length > 1);
  const profiles: ClusterProfileGrid[] = [];
  const embeddings: Embedding[] = [];
  for (const model of models) {
    const config = workspace.mapping.segments.find((segmentation) => segmentation.id === model.id) as ModelSegmentationConfig | undefined;
    if (config === undefined || !Array.isArray(config.features)) continue;
    const names = new Map(model.segments.map((segment) => [segment.id, segment.name]));
    const read = await readModelAggregates(duck, model.id, config.features, config.log1p, names);
    if (read.grid) profiles.push(read.grid);
    if (read.embedding) embeddings.push(read.embedding);
  }
  return {
    mapping: workspace.name,
    run: { runId: latest.runId, startedAt: latest.startedAt, finishedAt: latest.finishedAt, summary },
    ...(records[1] ? { previousRunId: records[1].runId } : {}),
    history: records.slice().reverse().map((record) => {
      const run = record.summary as RunJobSummary;
      return { runId: record.runId, profiles: run.profiles, segments: run.segments.map((segment) => ({ id: segment.id, size: segment.size })) };
    }),
    quarantineReasons: await quarantinePatterns(duck, latest.runId),
    profiles,
    embeddings,
    migrations: summary.models.flatMap((model) => {
      const parsed = model.migrationTable === undefined ? undefined : parseMigrationTable(model.id, model.migrationTable);
      return parsed ? [parsed] : [];
    }),
  };
}

/** Run rows also record plans and syncs: a run's summary is the one with events and models. */
function isRunSummary(summary: unknown): boolean {
  return typeof summary === 'object' && summary !== null && 'events' in summary && 'models' in summary && 'segments' in summary;
}

/** Reasons quote the offending value (possibly an email): only their shape is reported. */
async function quarantinePatterns(duck: DuckDBConnection, runId: string): Promise<ReportInput['quarantineReasons']> {
  const reader = await duck.runAndReadAll(`
    SELECT regexp_replace(regexp_replace(reason, '"[^"]*"', '"…"', 'g'), '[0-9]+', '0', 'g') AS pattern, count(*) AS n
    FROM quarantine WHERE run_id = $1 GROUP BY pattern ORDER BY n DESC, pattern LIMIT ${QUARANTINE_PATTERNS}`, [runId]);
  return reader.getRows().map(([pattern, count]) => ({ pattern: String(pattern), count: Number(count) }));
}

/** Segment means and a seeded sample of one model segmentation, aggregated in DuckDB whatever the audience size. */
export async function readModelAggregates(
  duck: DuckDBConnection, segmentation: string, features: readonly string[], log1p: readonly string[], names: ReadonlyMap<string, string>,
): Promise<{ grid?: ClusterProfileGrid; embedding?: Embedding }> {
  // On the scale the model saw: log(1 + x) for the log1p features (values at or below −1 count as missing).
  const scaled = features.map((feature) => {
    const column = `f.${sqlIdentifier(feature)}`;
    return log1p.includes(feature) ? `CASE WHEN ${column} > -1 THEN ln(1 + ${column}) END` : `CAST(${column} AS DOUBLE)`;
  });
  const members = `SELECT s.segment_id, ${scaled.map((expression, index) => `${expression} AS t${index}`).join(', ')}, ${features.map((feature, index) => `CAST(f.${sqlIdentifier(feature)} AS DOUBLE) AS r${index}`).join(', ')}
    FROM segment_members s JOIN segments g USING (segment_id) JOIN features f USING (profile_id) WHERE g.segmentation = $1`;
  const columns = features.map((_, index) => index);
  const population = (await duck.runAndReadAll(`WITH m AS (${members}) SELECT count(*), ${columns.map((index) => `avg(t${index}), stddev_pop(t${index})`).join(', ')} FROM m`, [segmentation])).getRows()[0] ?? [];
  const size = Number(population[0] ?? 0);
  if (size === 0) return {};
  const mean = columns.map((index) => toNumber(population[1 + 2 * index]));
  const spread = columns.map((index) => toNumber(population[2 + 2 * index]));
  const zOf = (value: number | null, index: number): number | null => {
    if (value === null || mean[index] === null) return null;
    const sigma = spread[index] ?? 0;
    return sigma !== null && sigma > 0 ? (value - (mean[index] as number)) / sigma : 0;
  };
  const perSegment = (await duck.runAndReadAll(`WITH m AS (${members})
    SELECT segment_id, count(*), ${columns.map((index) => `avg(t${index})`).join(', ')}, ${columns.map((index) => `avg(r${index})`).join(', ')} FROM m GROUP BY segment_id ORDER BY segment_id`, [segmentation])).getRows();
  const order = [...names.keys()];
  const segments = perSegment.map((row) => {
    const id = String(row[0]);
    return {
      id, name: names.get(id) ?? id, size: Number(row[1]),
      z: columns.map((index) => zOf(toNumber(row[2 + index]), index)),
      means: columns.map((index) => toNumber(row[2 + features.length + index])),
    };
  }).sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const sampleRows = (await duck.runAndReadAll(`WITH m AS (${members}) SELECT * FROM m USING SAMPLE reservoir(${EMBEDDING_SAMPLE} ROWS) REPEATABLE (42)`, [segmentation])).getRows();
  const index = new Map(segments.map((segment, position) => [segment.id, position]));
  const embedding = embedSample({
    segmentation, population: size, segments: segments.map((segment) => ({ id: segment.id, name: segment.name })),
    labels: sampleRows.map((row) => index.get(String(row[0])) ?? 0),
    values: sampleRows.map((row) => columns.map((column) => zOf(toNumber(row[1 + column]), column) ?? Number.NaN)),
  });
  return { grid: { segmentation, features: [...features], segments }, ...(embedding ? { embedding } : {}) };
}

function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}
