import type { AnalysisSummary } from '../analysis/analysis-summary.js';
import { driftBetweenRuns } from '../analysis/drift-between-runs.js';
import { experimentReports } from '../analysis/experiment-report.js';
import { journeyReport } from '../analysis/journey-report.js';
import { monthlyMigration } from '../analysis/monthly-migration.js';
import { revenueTrend } from '../analysis/revenue-trend.js';
import { segmentTrends } from '../analysis/segment-trends.js';
import { monitorSegmentKpis } from '../analysis/drift/index.js';
import { driftAlerts } from '../analysis/drift-alerts.js';
import { chartSegmentKpis } from '../analysis/segment-kpi-history.js';
import { segmentShareSeries, type RunSegments } from '../analysis/segment-share-history.js';
import { scoreCorrelations, validateSegmentations } from '../analysis/segment-validation.js';
import { UserError } from '../errors/user-error.js';
import type { Workspace } from './workspace.js';

/**
 * `segflow analyze` and the analysis step of `segflow run` (issue 12): the
 * analyses the mapping's `analysis:` section asks for, on the segments and
 * features the last run stored. Read-only: it changes no state.
 */
export type { AnalysisSummary } from '../analysis/analysis-summary.js';

/** `current`: the run in progress (not in the run history yet), when called by a run. */
export async function analyzeJob(workspace: Workspace, current?: RunSegments): Promise<AnalysisSummary> {
  if (!workspace.hasEvents()) throw new UserError(`nothing to analyze in ${workspace.stateDir}: run \`segflow run ${workspace.mappingFile}\` first`);
  const duck = (await workspace.events()).connection;
  const tables = await duck.runAndReadAll("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name IN ('identity_map', 'features', 'segment_members')");
  if (Number(tables.getRows()[0]?.[0] ?? 0) < 3) throw new UserError(`nothing to analyze in ${workspace.stateDir}: run \`segflow run ${workspace.mappingFile}\` first`);
  const config = workspace.mapping.analysis ?? {};
  const summary: AnalysisSummary = {};
  // With no section (or an empty one), every analysis runs on its defaults.
  const all = Object.keys(config).length === 0;
  if (all || config.journeys !== undefined) {
    summary.journeys = await journeyReport(duck, workspace.mapping);
    summary.segmentMigration = await monthlyMigration(duck, workspace.mapping);
  }
  let history: unknown[] | undefined;
  if (all || config.drift !== undefined) {
    summary.drift = await driftBetweenRuns(duck, workspace.mapping);
    history = (await workspace.state.runs.recent(200)).filter((run) => run.status === 'succeeded').reverse().map((run) => run.summary);
    summary.segmentShares = monitorSegmentKpis(segmentShareSeries(history, current), { baselineRuns: config.drift?.baseline_runs ?? 10 });
  }
  if (all || config.validation !== undefined) {
    summary.validation = await validateSegmentations(duck, workspace.mapping);
    summary.scoreCorrelations = await scoreCorrelations(duck, workspace.mapping);
  }
  if (history !== undefined) {
    // The run in progress adds its own KPIs only when called by a run: `segflow analyze` re-reads the last run, already in the history.
    summary.segmentKpis = chartSegmentKpis(history, current === undefined ? undefined : summary.validation, { baselineRuns: config.drift?.baseline_runs ?? 10 });
    summary.alerts = driftAlerts(summary);
  }
  if (all || config.trends !== undefined) {
    summary.trends = await revenueTrend(duck, workspace.mapping);
    summary.segmentTrends = await segmentTrends(duck, workspace.mapping);
  }
  // Experiments have no defaults to run on: each one is named in the mapping.
  if (config.experiments !== undefined) summary.experiments = await experimentReports(duck, workspace.mapping);
  return summary;
}
