import type { RunJobSummary } from '../runtime/run-job.js';

/**
 * Everything a report shows, read from the workspace (read-report-input.ts)
 * and already aggregated: no row in here stands for one profile except the
 * embedding's sample, which carries coordinates and a segment, never an id.
 */
export interface ReportInput {
  mapping: string;
  run: { runId: string; startedAt: string; finishedAt: string | null; summary: RunJobSummary };
  /** The run before it, when there is one (migration is measured against it). */
  previousRunId?: string;
  /** Earlier runs' segment sizes, oldest first, then this run: the segment share series. */
  history: Array<{ runId: string; profiles: number; segments: Array<{ id: string; size: number }> }>;
  /** The commonest quarantine reasons this run, with quoted values and numbers blanked (they may be user data). */
  quarantineReasons: Array<{ pattern: string; count: number }>;
  /** Per model segmentation with clusters. */
  profiles: ClusterProfileGrid[];
  embeddings: Embedding[];
  migrations: Migration[];
}

/** Mean z-score of each feature per segment, on the scale the model saw (log1p where configured). */
export interface ClusterProfileGrid {
  segmentation: string;
  features: string[];
  segments: Array<{ id: string; name: string; size: number; z: Array<number | null>; means: Array<number | null> }>;
}

/** A 2-D PCA projection of a sample of the model's input. */
export interface Embedding {
  segmentation: string;
  /** Share of the variance on each axis. */
  explained: [number, number];
  /** Profiles in the segmentation, and how many were drawn. */
  population: number;
  sampled: number;
  /** Segment ids, indexed by the points' third value. */
  segments: Array<{ id: string; name: string }>;
  /** [x, y, segment index, 1 when an outlier]. */
  points: Array<[number, number, number, 0 | 1]>;
  /** The rule that marks outliers, in words. */
  outlierRule: string;
}

/** Who moved where between the previous run and this one (rows: before, columns: after). */
export interface Migration {
  segmentation: string;
  from: string[];
  to: string[];
  counts: number[][];
}
