import type { DriftAlert } from './drift-alerts.js';
import type { DriftBetweenRuns } from './drift-between-runs.js';
import type { ExperimentReport } from './experiment-report.js';
import type { SegmentKpiStatus } from './drift/index.js';
import type { JourneyReport } from './journey-report.js';
import type { MonthlyMigration } from './monthly-migration.js';
import type { RevenueTrend } from './revenue-trend.js';
import type { SegmentTrends } from './segment-trends.js';
import type { SegmentKpiChart } from './segment-kpi-history.js';
import type { ScoreCorrelation, SegmentationValidation } from './segment-validation.js';

/** What the analyses of a run found (the run summary's `analysis`, `segflow analyze --json`). */
export interface AnalysisSummary {
  journeys?: JourneyReport;
  /** Month-to-month transitions between RFM segments recomputed at each month end (null with fewer than two months of buyers). */
  segmentMigration?: MonthlyMigration | null;
  /** Null when no earlier run's features were kept (a first run, or runs without an analysis section). */
  drift?: DriftBetweenRuns | null;
  /** Each segment's share of profiles across runs, charted by EWMA and CUSUM after `drift.baseline_runs` runs. */
  segmentShares?: SegmentKpiStatus[];
  /** Each segment's conversion, AOV and retention across runs (from the stored validation results), charted by EWMA and CUSUM like the shares. */
  segmentKpis?: SegmentKpiChart[];
  validation?: SegmentationValidation[];
  /** Model scores against the value KPI. */
  scoreCorrelations?: ScoreCorrelation[];
  /** Re-cluster recommendations and segment share alarms (posted to `analysis.drift.webhook` when set). */
  alerts?: DriftAlert[];
  /** Set when a webhook is configured and there were alerts to post. */
  webhook?: { delivered: boolean; alerts: number; error?: string };
  /** Null with fewer than four weeks of orders. */
  trends?: RevenueTrend | null;
  /** Per segment and KPI, daily and weekly series with robust STL strengths (null with no events). */
  segmentTrends?: SegmentTrends | null;
  /** A/B holdouts (`analysis.experiments`): arms, and once started, uplift on conversion and revenue. */
  experiments?: ExperimentReport[];
}
