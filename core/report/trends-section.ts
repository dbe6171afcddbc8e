import { cusumChart, ewmaChart } from '../analysis/drift/index.js';
import type { ReportInput } from './report-input.js';
import { barOption } from './run-section.js';
import { chart, round, table, text, type Block, type Cell, type SectionView } from './report-view.js';

const DAY_MS = 86_400_000;

/** Trends and drift: STL components with the forecast band, PSI per feature, segment shares with EWMA and CUSUM. */
export function trendsSection(input: ReportInput): SectionView | undefined {
  const analysis = input.run.summary.analysis;
  if (analysis === undefined) return undefined;
  const blocks: Block[] = [];
  const trends = analysis.trends;
  if (trends) {
    const start = Date.parse(`${trends.start}T00:00:00Z`);
    const days = trends.series.observed.map((_, index) => new Date(start + index * DAY_MS).toISOString().slice(0, 10));
    const components = ['observed', 'trend', 'seasonal', 'resid'] as const;
    const forecastDays = trends.forecast.map((day) => day.day);
    blocks.push(chart({
      id: 'trend-stl', title: 'Daily revenue: STL components and forecast',
      summary: `Line chart of ${trends.days} days of revenue split into trend, weekly season and remainder, then ${trends.forecast.length} days of forecast with a dashed interval band. Trend strength ${round(trends.strength.trend, 2)}, seasonal strength ${round(trends.strength.seasonal, 2)}.`,
      option: {
        grid: { containLabel: true, left: 8, right: 8, top: 48, bottom: 40 }, tooltip: { trigger: 'axis' }, legend: { top: 0 }, dataZoom: [{ type: 'slider', bottom: 4 }],
        xAxis: { type: 'category', data: [...days, ...forecastDays] }, yAxis: { type: 'value', name: 'revenue' },
        series: [
          ...components.map((component, index) => ({ type: 'line', name: component, showSymbol: false, data: trends.series[component].map((value) => round(value, 2)), lineStyle: { type: ['solid', 'solid', 'dotted', 'dashed'][index], width: component === 'trend' ? 3 : 1 } })),
          { type: 'line', name: 'forecast', showSymbol: true, symbol: 'diamond', data: [...days.map(() => null), ...trends.forecast.map((day) => round(day.mean, 2))] },
          { type: 'line', name: 'forecast lower', showSymbol: false, lineStyle: { type: 'dashed' }, data: [...days.map(() => null), ...trends.forecast.map((day) => round(day.lower, 2))] },
          { type: 'line', name: 'forecast upper', showSymbol: false, lineStyle: { type: 'dashed' }, data: [...days.map(() => null), ...trends.forecast.map((day) => round(day.upper, 2))] },
        ],
      },
      table: { caption: 'Daily revenue components', columns: ['Day', ...components], rows: days.map((day, index) => [day, ...components.map((component) => trends.series[component][index] ?? null)]) },
      height: 420,
    }));
    blocks.push(table('Forecast', ['Day', 'Mean', 'Lower', 'Upper'], trends.forecast.map((day) => [day.day, day.mean, day.lower, day.upper])));
    if (trends.changes.length > 0) blocks.push(table('Level changes', ['From day', 'Mean'], trends.changes.map((change) => [change.day, change.mean])));
  }
  const drift = analysis.drift;
  if (drift) {
    blocks.push(chart({
      id: 'drift-psi', title: 'Feature drift since the last run (PSI)',
      summary: 'Horizontal bar chart of the population stability index per feature, labelled with its value; 0.1 is moderate and 0.25 significant drift.',
      option: barOption(drift.features.map((feature) => feature.feature), drift.features.map((feature) => round(feature.psi, 4)), 'PSI', true),
      table: {
        caption: 'Drift per feature', columns: ['Feature', 'PSI', 'Level', 'KS statistic', 'KS p', 'Mean shift'],
        rows: drift.features.map((feature) => [feature.feature, feature.psi, feature.psiLevel, feature.ksStatistic, feature.ksPValue, feature.meanShift]),
      },
    }));
    blocks.push(text(drift.recluster ? `Re-cluster recommended: ${drift.reasons.join('; ')}` : 'No re-cluster recommended.'));
  }
  blocks.push(...segmentShareCharts(input));
  return blocks.length === 0 ? undefined : { id: 'trends', title: 'Trends and drift', blocks };
}

/**
 * The monitored segments' shares run after run, as the monitor judged them:
 * the first `baselineRuns` runs set the mean and σ (Phase I, drawn as the
 * share alone), and EWMA and CUSUM chart the runs after them (Phase II), so
 * a pin on the chart is an alarm the table reports, never a baseline run
 * judged against itself.
 */
function segmentShareCharts(input: ReportInput): Block[] {
  const statuses = input.run.summary.analysis?.segmentShares ?? [];
  if (statuses.length === 0) return [];
  const runs = input.history.map((run) => run.runId);
  const blocks: Block[] = [table('Segment share monitoring', ['Segment', 'Status', 'Baseline runs', 'Baseline mean', 'σ', 'Alarm'], statuses.map((status) => status.status === 'monitored'
    ? [status.segment, status.status, status.baselineRuns, status.mean, status.sigma, status.alarm ? 'alarm' : 'in control']
    : [status.segment, status.status, null, null, null, status.reason]))];
  for (const status of statuses) {
    if (status.status !== 'monitored') continue;
    const series = input.history.map((run) => (run.profiles > 0 ? (run.segments.find((segment) => segment.id === status.segment)?.size ?? 0) / run.profiles : 0));
    const baseline = Math.min(status.baselineRuns, series.length);
    const limits = { mean: status.mean, sigma: status.sigma };
    const ewma = ewmaChart(series.slice(baseline), limits);
    const cusum = cusumChart(series.slice(baseline), limits);
    /** A Phase II value at its run's place; null over the baseline. */
    const atRun = (values: ArrayLike<number>, index: number): number | null => (index < baseline ? null : values[index - baseline] ?? null);
    const rows: Cell[][] = runs.map((runId, index) => [runId, index < baseline ? 'baseline' : 'monitored', series[index] ?? null,
      atRun(ewma.statistic, index), atRun(ewma.lower, index), atRun(ewma.upper, index), atRun(cusum.upper, index), atRun(cusum.lower, index), index < baseline ? null : cusum.threshold]);
    const drawn = (values: ArrayLike<number>) => runs.map((_, index) => {
      const value = atRun(values, index);
      return value === null ? null : round(value, 4);
    });
    const alarms = [...new Set([...ewma.alarms, ...cusum.upperAlarms, ...cusum.lowerAlarms])].sort((a, b) => a - b);
    blocks.push(chart({
      id: `share-${status.segment}`, title: `Share of ${status.segment}: EWMA and CUSUM`,
      summary: `Line chart of the segment's share per run (circles); the first ${baseline} runs are the baseline that sets the mean and σ, and from the next run on its EWMA (solid) runs between dashed control limits, with the CUSUM sums (dotted) against the threshold ${round(cusum.threshold, 4)}; ${alarms.length === 0 ? 'no run raised an alarm' : `alarms are marked with a pin (${alarms.length} run${alarms.length === 1 ? '' : 's'})`}.`,
      option: {
        grid: { containLabel: true, left: 8, right: 8, top: 48, bottom: 8 }, tooltip: { trigger: 'axis' }, legend: { top: 0 },
        xAxis: { type: 'category', data: runs.map((_, index) => `run ${index + 1}`) }, yAxis: [{ type: 'value', name: 'share' }, { type: 'value', name: 'CUSUM', splitLine: { show: false } }],
        series: [
          { type: 'line', name: 'share', data: series.map((value) => round(value, 4)), symbol: 'circle', lineStyle: { opacity: 0.3 },
            markArea: baseline > 0 ? { silent: true, itemStyle: { opacity: 0.08 }, data: [[{ name: 'baseline', xAxis: 0 }, { xAxis: baseline - 1 }]] } : undefined },
          { type: 'line', name: 'EWMA', data: drawn(ewma.statistic), markPoint: { symbol: 'pin', data: alarms.map((index) => ({ coord: [index + baseline, round(ewma.statistic[index] ?? 0, 4)], value: 'alarm' })) } },
          { type: 'line', name: 'lower limit', data: drawn(ewma.lower), showSymbol: false, lineStyle: { type: 'dashed' } },
          { type: 'line', name: 'upper limit', data: drawn(ewma.upper), showSymbol: false, lineStyle: { type: 'dashed' } },
          { type: 'line', name: 'CUSUM up', yAxisIndex: 1, data: drawn(cusum.upper), lineStyle: { type: 'dotted' } },
          { type: 'line', name: 'CUSUM down', yAxisIndex: 1, data: drawn(cusum.lower), lineStyle: { type: 'dotted' } },
        ],
      },
      table: { caption: `Share of ${status.segment} per run`, columns: ['Run', 'Phase', 'Share', 'EWMA', 'Lower limit', 'Upper limit', 'CUSUM up', 'CUSUM down', 'CUSUM threshold'], rows },
    }));
  }
  return blocks;
}
