import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ExperimentConfig } from '../config/analysis-schema.js';
import { durationMs } from '../config/durations.js';
import type { Mapping } from '../config/mapping-schema.js';
import { assignArm, experimentUplift, resolveAssignment, type ExperimentUplift, type MemberOutcome, type SegmentRecord } from './experiments/index.js';
import { eventHorizon, loadExperimentOutcomes, type StoredOutcome } from './inputs/experiment-outcomes.js';

/**
 * An A/B holdout of the mapping (`analysis.experiments`) measured on the
 * last run: its members split by the salted hash (the same split the sinks'
 * `{ holdout: <id> }` property carries), and from `start` on, conversion
 * and revenue per member in the window, treatment against holdout.
 *
 * The members are the segment's members as of the run analysed. A segment
 * whose membership the conversion itself changes (a "lapsed buyers" rule
 * that a purchase leaves) loses its converters from both arms, more from the
 * arm that converted more: define the experiment on a segment that holds
 * still over the window, or read the uplift as among those still in it.
 */
export interface ExperimentReport {
  id: string;
  segment: string;
  /** The segments `segment` named in this run. */
  segmentIds: string[];
  start: string;
  window: string;
  conversionEvent: string;
  holdoutShare: number;
  covariate: 'revenue' | 'conversions' | null;
  /** measured: after start with both arms populated; the others say why there are no tests yet. */
  status: 'measured' | 'not-started' | 'too-few-members';
  reason?: string;
  members: { treatment: number; holdout: number };
  /** Whole days of the window the events cover (midnight after the last event). */
  daysObserved: number;
  windowDays: number;
  /** The window has fully passed in the data: the result will not change with more events. */
  complete: boolean;
  uplift?: ExperimentUplift;
}

const DAY_MS = 86_400_000;

export async function experimentReports(duck: DuckDBConnection, mapping: Mapping): Promise<ExperimentReport[]> {
  const experiments = mapping.analysis?.experiments ?? [];
  if (experiments.length === 0) return [];
  const segments = (await duck.runAndReadAll('SELECT segment_id, name, segmentation FROM segments ORDER BY segment_id')).getRows()
    .map(([id, name, segmentation]): SegmentRecord => ({ id: String(id), name: String(name), segmentation: String(segmentation) }));
  const horizon = await eventHorizon(duck);
  const reports: ExperimentReport[] = [];
  for (const experiment of experiments) reports.push(await experimentReport(duck, mapping, experiment, segments, horizon));
  return reports;
}

async function experimentReport(
  duck: DuckDBConnection, mapping: Mapping, experiment: ExperimentConfig, segments: readonly SegmentRecord[], horizon: number | null,
): Promise<ExperimentReport> {
  const assignment = resolveAssignment(experiment, segments);
  const start = Date.parse(`${experiment.start}T00:00:00Z`);
  const windowMs = durationMs(experiment.window);
  const conversionEvent = experiment.conversion_event ?? mapping.features.events.order;
  const stored = await loadExperimentOutcomes(duck, {
    segmentIds: [...assignment.segmentIds], conversionEvent, preStart: start - windowMs, start, end: start + windowMs,
  });
  const options = { salt: assignment.salt, holdoutShare: assignment.holdoutShare };
  const members = stored.map((row) => memberOutcome(row, assignArm(row.profileId, options), start, experiment.covariate));
  const observedEnd = Math.min(start + windowMs, horizon ?? start);
  const base = {
    id: experiment.id,
    segment: experiment.segment,
    segmentIds: [...assignment.segmentIds].sort(),
    start: experiment.start,
    window: experiment.window,
    conversionEvent,
    holdoutShare: experiment.holdout_share,
    covariate: experiment.covariate ?? null,
    members: { treatment: members.filter((member) => member.arm === 'treatment').length, holdout: members.filter((member) => member.arm === 'holdout').length },
    daysObserved: Math.max(0, Math.ceil((observedEnd - start) / DAY_MS)),
    windowDays: Math.ceil(windowMs / DAY_MS),
    complete: horizon !== null && horizon >= start + windowMs,
  };
  if (base.daysObserved === 0) {
    return { ...base, status: 'not-started', reason: horizon === null ? 'no events stored yet' : `the events end before ${experiment.start}` };
  }
  if (base.members.treatment < 2 || base.members.holdout < 2) {
    const named = assignment.segmentIds.size === 0 ? `"${experiment.segment}" names no segment of this run` : `${base.members.treatment} in treatment, ${base.members.holdout} in holdout`;
    return { ...base, status: 'too-few-members', reason: `each arm needs at least 2 members: ${named}` };
  }
  const uplift = experimentUplift(members, {
    holdoutShare: experiment.holdout_share,
    daysObserved: base.daysObserved,
    seed: bootstrapSeed(experiment.id),
    ...(experiment.minimum_detectable_effect !== undefined ? { minimumDetectableEffect: experiment.minimum_detectable_effect } : {}),
  });
  return { ...base, status: 'measured', uplift };
}

function memberOutcome(row: StoredOutcome, arm: MemberOutcome['arm'], start: number, covariate: ExperimentConfig['covariate']): MemberOutcome {
  return {
    arm,
    convertedAfterDays: row.firstConversion === null ? null : (row.firstConversion - start) / DAY_MS,
    revenue: row.revenue,
    ...(covariate === 'revenue' ? { covariate: row.preRevenue } : covariate === 'conversions' ? { covariate: row.preConversions } : {}),
  };
}

/** A seed fixed by the experiment's id: the bootstrap interval is the same on every run and machine. */
function bootstrapSeed(id: string): number {
  return createHash('sha256').update(`segflow-bootstrap:${id}`, 'utf8').digest().readUInt32BE(0);
}
