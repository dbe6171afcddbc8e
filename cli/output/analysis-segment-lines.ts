import type { AnalysisSummary } from '../../core/analysis/analysis-summary.js';

/**
 * The per-segment parts of `segflow analyze` and of a run's closing table:
 * KPI trends per segment, segment KPI charts across runs, and the monthly
 * RFM migration. Kept short: the full numbers are in `--json`.
 */
/** Rounded to whole units, without printing -0 for a small negative. */
const whole = (value: number) => (Math.round(value) === 0 ? '0' : value.toFixed(0));
const percent = (value: number | null | undefined) => (value === null || value === undefined || !Number.isFinite(value) ? '–' : `${(100 * value).toFixed(0)}%`);

export function segmentAnalysisLines(analysis: AnalysisSummary): string[] {
  const out: string[] = [];
  const trends = analysis.segmentTrends;
  if (trends) {
    const daily = trends.series.filter((entry) => entry.interval === 'day');
    const decomposed = daily.filter((entry) => entry.decomposition !== null);
    out.push(`segment KPI trends: ${trends.days} days / ${trends.weeks} weeks from ${trends.start}; ${decomposed.length} of ${daily.length} daily series decomposed (weekly: ${trends.series.find((entry) => entry.interval === 'week')?.skipped ?? 'decomposed'})`);
    for (const entry of decomposed.filter((item) => item.kpi === 'revenue')) {
      const decomposition = entry.decomposition;
      if (decomposition === null) continue;
      out.push(`    ${entry.name.padEnd(28)} revenue ${whole(entry.mean).padStart(8)}/day  trend ${decomposition.strength.trend.toFixed(2)}  weekly season ${decomposition.strength.seasonal.toFixed(2)}  trend ${whole(decomposition.trendStart)} → ${whole(decomposition.trendEnd)}`);
    }
    const skipped = daily.filter((entry) => entry.skipped !== undefined);
    if (skipped.length > 0) out.push(`    not decomposed: ${skipped.map((entry) => `${entry.segment} ${entry.kpi} (${entry.skipped})`).slice(0, 3).join('; ')}${skipped.length > 3 ? `; and ${skipped.length - 3} more` : ''}`);
  }
  const charts = analysis.segmentKpis ?? [];
  if (charts.length > 0) {
    const monitored = charts.filter((chart) => chart.status === 'monitored');
    const alarms = monitored.filter((chart) => chart.status === 'monitored' && chart.alarm).map((chart) => `${chart.segment} ${chart.kpi}`);
    const first = charts[0];
    out.push(monitored.length === 0
      ? `segment KPIs across runs: ${first?.status === 'insufficient-baseline' ? first.reason : 'not charted'}`
      : `segment KPIs across runs (conversion, AOV, retention; EWMA, CUSUM): ${monitored.length} charted, ${alarms.length === 0 ? 'in control' : `ALARM for ${alarms.join(', ')}`}`);
  }
  const migration = analysis.segmentMigration;
  if (migration === null) out.push('RFM migration: fewer than two months of buyers');
  else if (migration) {
    out.push(`RFM migration, ${migration.months[0]} → ${migration.months[migration.months.length - 1]} (${migration.months.length} month ends): share staying in its segment month to month`);
    migration.names.forEach((name, index) => {
      const stay = migration.overall.stayRate[index];
      if (stay !== null && stay !== undefined) out.push(`    ${name.padEnd(28)} ${percent(stay).padStart(5)}  (${migration.sizes[migration.sizes.length - 1]?.[index] ?? 0} buyers at the last month end)`);
    });
  }
  return out;
}
