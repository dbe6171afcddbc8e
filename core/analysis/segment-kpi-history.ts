import { monitorSegmentKpis, type KpiMonitorOptions, type SegmentKpiStatus } from './drift/index.js';
import type { SegmentationValidation } from './segment-validation.js';

/**
 * Each segment's business KPIs run after run (issue 12, part 3): the
 * conversion rate, average order value and retention rate that the
 * validation step stores in every run summary (`analysis.validation`),
 * oldest run first, plus the run in progress; then EWMA and CUSUM per
 * segment and KPI (drift/kpi-monitor.ts: Phase I on the first
 * `baselineRuns` runs, Phase II after). Runs without validation results are
 * skipped, not counted as zeros; a segment's series starts at the first run
 * that measured it, and a run where it had no members or no orders (no AOV)
 * leaves a gap rather than a fake value.
 */
export const CHARTED_KPIS = ['conversion', 'aov', 'retention'] as const;
export type ChartedKpi = (typeof CHARTED_KPIS)[number];

export type SegmentKpiChart = SegmentKpiStatus & { kpi: ChartedKpi };

interface MeasuredSegment {
  segment: string;
  conversion?: number;
  aov?: number;
  retention?: number;
}

function kpiOf(segment: MeasuredSegment, kpi: ChartedKpi): number | undefined {
  return segment[kpi];
}

/** The per-segment KPIs of one run's validation results (stored JSON, so checked field by field). */
export function measuredSegments(validation: unknown): MeasuredSegment[] | undefined {
  if (!Array.isArray(validation)) return undefined;
  const finite = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
  return validation.flatMap((entry: unknown) => {
    const segments = (entry as { segments?: unknown } | null)?.segments;
    if (!Array.isArray(segments)) return [];
    return segments.flatMap((segment: unknown) => {
      const { segment: id, conversionRate, retentionRate, averageOrderValue } = (segment ?? {}) as Record<string, { estimate?: unknown; mean?: unknown } | string | undefined>;
      if (typeof id !== 'string') return [];
      const measured: MeasuredSegment = { segment: id };
      const conversion = finite((conversionRate as { estimate?: unknown } | undefined)?.estimate);
      const retention = finite((retentionRate as { estimate?: unknown } | undefined)?.estimate);
      const aov = finite((averageOrderValue as { mean?: unknown } | undefined)?.mean);
      if (conversion !== undefined) measured.conversion = conversion;
      if (retention !== undefined) measured.retention = retention;
      if (aov !== undefined) measured.aov = aov;
      return [measured];
    });
  });
}

/** `kpi → segment → values` over the runs that stored validation results, oldest first, then `current`. */
export function segmentKpiSeries(history: readonly unknown[], current?: readonly SegmentationValidation[]): Record<ChartedKpi, Record<string, number[]>> {
  const runs = history
    .map((summary) => measuredSegments((summary as { analysis?: { validation?: unknown } } | null)?.analysis?.validation))
    .filter((run): run is MeasuredSegment[] => run !== undefined);
  if (current !== undefined) runs.push(measuredSegments(current) ?? []);
  const series = Object.fromEntries(CHARTED_KPIS.map((kpi) => [kpi, {} as Record<string, number[]>])) as Record<ChartedKpi, Record<string, number[]>>;
  for (const run of runs) {
    for (const segment of run) {
      for (const kpi of CHARTED_KPIS) {
        const value = kpiOf(segment, kpi);
        if (value === undefined) continue;
        (series[kpi][segment.segment] ??= []).push(value);
      }
    }
  }
  return series;
}

/** EWMA and CUSUM of every segment's conversion, AOV and retention across runs. */
export function chartSegmentKpis(history: readonly unknown[], current: readonly SegmentationValidation[] | undefined, options: KpiMonitorOptions = {}): SegmentKpiChart[] {
  const series = segmentKpiSeries(history, current);
  return CHARTED_KPIS.flatMap((kpi) => monitorSegmentKpis(series[kpi], options).map((status) => ({ ...status, kpi })));
}
