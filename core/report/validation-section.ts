import type { ReportInput } from './report-input.js';
import { chart, round, table, text, type Block, type SectionView } from './report-view.js';

/** An estimate with its interval: a bar for the estimate, dashes for the bounds (the table holds the numbers). */
function intervalOption(categories: string[], estimates: Array<number | null>, lows: Array<number | null>, highs: Array<number | null>, unit: string): Record<string, unknown> {
  return {
    grid: { containLabel: true, left: 8, right: 24, top: 40, bottom: 8 }, tooltip: { trigger: 'axis' }, legend: { top: 0 },
    xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: 30, width: 120, overflow: 'truncate' } }, yAxis: { type: 'value', name: unit },
    series: [
      { type: 'bar', name: 'estimate', data: estimates.map(roundOrNull), label: { show: true, position: 'inside' } },
      { type: 'line', name: 'low (95%)', data: lows.map(roundOrNull), symbol: 'triangle', symbolSize: 10, lineStyle: { width: 0 } },
      { type: 'line', name: 'high (95%)', data: highs.map(roundOrNull), symbol: 'diamond', symbolSize: 10, lineStyle: { width: 0 } },
    ],
  };
}

/** Infinite bounds (a one-order segment) and missing values are not drawn. */
function roundOrNull(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : round(value, 4);
}

/** Validation and A/B: KPIs per segment with intervals, and the holdouts' uplift with intervals. */
export function validationSection(input: ReportInput): SectionView | undefined {
  const analysis = input.run.summary.analysis;
  const validations = analysis?.validation ?? [];
  const experiments = analysis?.experiments ?? [];
  if (validations.length === 0 && experiments.length === 0) return undefined;
  const blocks: Block[] = [];
  for (const validation of validations) {
    const segments = validation.segments;
    blocks.push(table(`${validation.segmentation}: KPIs per segment (95% intervals)`,
      ['Segment', 'Name', 'Members', 'Conversion', 'low', 'high', 'Retention', 'low', 'high', 'Churn', 'low', 'high', 'Average order value', 'low', 'high'],
      segments.map((segment) => [segment.segment, segment.name, segment.members,
        segment.conversionRate.estimate, segment.conversionRate.low, segment.conversionRate.high,
        segment.retentionRate.estimate, segment.retentionRate.low, segment.retentionRate.high,
        segment.churnRate.estimate, segment.churnRate.low, segment.churnRate.high,
        segment.averageOrderValue?.mean ?? null, segment.averageOrderValue?.low ?? null, segment.averageOrderValue?.high ?? null])));
    blocks.push(chart({
      id: `validation-aov-${validation.segmentation}`, title: `${validation.segmentation}: average order value per segment`,
      summary: 'Bar chart of each segment\'s average order value; triangles and diamonds mark the 95% interval.',
      option: intervalOption(segments.map((segment) => segment.name), segments.map((segment) => segment.averageOrderValue?.mean ?? null), segments.map((segment) => segment.averageOrderValue?.low ?? null), segments.map((segment) => segment.averageOrderValue?.high ?? null), 'order value'),
      table: { caption: `${validation.segmentation}: average order value`, columns: ['Segment', 'Mean', 'Low (95%)', 'High (95%)'], rows: segments.map((segment) => [segment.name, segment.averageOrderValue?.mean ?? null, segment.averageOrderValue?.low ?? null, segment.averageOrderValue?.high ?? null]) },
    }));
    const tests = [
      validation.valueTest ? `Kruskal–Wallis on value: p = ${validation.valueTest.p.toExponential(2)}` : undefined,
      validation.valueAnova ? `one-way ANOVA on value: p = ${validation.valueAnova.p.toExponential(2)}` : undefined,
      validation.conversionTest ? `χ² on conversion: p = ${validation.conversionTest.p.toExponential(2)}` : undefined,
    ].filter((line): line is string => line !== undefined);
    if (tests.length > 0) blocks.push(text(`${validation.segmentation}: ${tests.join('; ')}.`));
  }
  const measured = experiments.filter((experiment) => experiment.uplift !== undefined);
  for (const experiment of experiments.filter((item) => item.uplift === undefined)) {
    blocks.push(text(`Experiment ${experiment.id} (${experiment.segment}): ${experiment.status}${experiment.reason ? `, ${experiment.reason}` : ''}.`));
  }
  if (measured.length > 0) {
    const rows = measured.map((experiment) => {
      const uplift = experiment.uplift as NonNullable<typeof experiment.uplift>;
      return [experiment.id, experiment.segment, experiment.members.treatment, experiment.members.holdout,
        uplift.conversion.difference, uplift.conversion.newcombe.low, uplift.conversion.newcombe.high, uplift.conversion.p,
        uplift.revenue.welch.difference, uplift.revenue.welch.low, uplift.revenue.welch.high, uplift.revenue.welch.p];
    });
    blocks.push(chart({
      id: 'experiments-conversion', title: 'Conversion uplift (treatment − holdout)',
      summary: 'Bar chart of each experiment\'s conversion uplift; triangles and diamonds mark Newcombe\'s 95% interval.',
      option: intervalOption(measured.map((experiment) => experiment.id), rows.map((row) => row[4] as number), rows.map((row) => row[5] as number), rows.map((row) => row[6] as number), 'uplift'),
      table: { caption: 'Uplift per experiment', columns: ['Experiment', 'Segment', 'Treatment', 'Holdout', 'Conversion uplift', 'low', 'high', 'p', 'Revenue uplift per member', 'low', 'high', 'p'], rows },
    }));
  }
  return { id: 'validation', title: 'Validation and experiments', blocks };
}
