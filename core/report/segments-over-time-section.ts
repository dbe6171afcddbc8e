import type { ReportInput } from './report-input.js';
import { chart, round, table, text, type Block, type SectionView } from './report-view.js';

/**
 * Segments over time: buyers moving between RFM segments month to month (a
 * heatmap of the pooled row shares, with every month's counts in a table),
 * each segment's KPIs monitored across runs, and each segment's KPI trends
 * with their STL strengths (or why a series was not decomposed).
 */
export function segmentsOverTimeSection(input: ReportInput): SectionView | undefined {
  const analysis = input.run.summary.analysis;
  if (analysis === undefined) return undefined;
  const blocks: Block[] = [];
  const migration = analysis.segmentMigration;
  if (migration) {
    const names = migration.names;
    const cells = migration.overall.shares.flatMap((row, from) => row.map((share, to) => [to, from, round(share, 3)]));
    blocks.push(chart({
      id: 'monthly-migration', title: `RFM segments month to month (${migration.months[0] ?? ''} to ${migration.months.at(-1) ?? ''}, pooled)`,
      summary: 'Heatmap of the share of each RFM segment\'s buyers found in each segment one month later, all months pooled; the diagonal is who stayed. Each cell is labelled with its share.',
      option: {
        grid: { containLabel: true, left: 8, right: 8, top: 16, bottom: 64 }, tooltip: { position: 'top' },
        xAxis: { type: 'category', name: 'next month', data: names, axisLabel: { interval: 0, rotate: 30 } }, yAxis: { type: 'category', name: 'this month', data: names, inverse: true },
        visualMap: { type: 'continuous', min: 0, max: 1, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#f7fbff', '#08306b'] } },
        series: [{ type: 'heatmap', name: 'share', label: { show: true }, data: cells }],
      },
      table: {
        caption: 'Buyers from segment to segment, all months pooled', columns: ['This month', 'Next month', 'Buyers', 'Share'],
        rows: migration.overall.counts.flatMap((row, from) => row.map((count, to) => [names[from] ?? '', names[to] ?? '', count, migration.overall.shares[from]?.[to] ?? null])),
      },
      height: 420,
    }));
    blocks.push(table('Buyers per RFM segment at each month end', ['Month', ...names], migration.months.map((month, index) => [month, ...(migration.sizes[index] ?? [])])));
    blocks.push(table('Who stayed, month by month', ['From', 'To', 'New buyers', ...names.map((name) => `${name} stayed`)],
      migration.steps.map((step) => [step.from, step.to, step.newBuyers, ...step.stayRate])));
  }
  const kpis = analysis.segmentKpis ?? [];
  if (kpis.length > 0) {
    blocks.push(table('Segment KPIs across runs (EWMA and CUSUM after the baseline)', ['Segment', 'KPI', 'Status', 'Baseline runs', 'Baseline mean', 'σ', 'Alarm'], kpis.map((status) => status.status === 'monitored'
      ? [status.segment, status.kpi, status.status, status.baselineRuns, status.mean, status.sigma, status.alarm ? 'alarm' : 'in control']
      : [status.segment, status.kpi, status.status, null, null, null, status.reason])));
  }
  const trends = analysis.segmentTrends;
  if (trends) {
    blocks.push(text(`KPI series per segment from ${trends.start}: ${trends.days} days, ${trends.weeks} weeks.`));
    blocks.push(table('Segment KPI trends (robust STL)', ['Segmentation', 'Segment', 'KPI', 'Interval', 'Buckets', 'Total', 'Mean', 'Trend start', 'Trend end', 'Trend strength', 'Seasonal strength', 'Not decomposed because'],
      trends.series.map((series) => [series.segmentation, series.name, series.kpi, series.interval, series.points, series.total, series.mean,
        series.decomposition?.trendStart ?? null, series.decomposition?.trendEnd ?? null, series.decomposition?.strength.trend ?? null, series.decomposition?.strength.seasonal ?? null, series.skipped ?? ''])));
  }
  return blocks.length === 0 ? undefined : { id: 'segments-over-time', title: 'Segments over time', blocks };
}
