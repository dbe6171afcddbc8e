/**
 * Per-segment KPI monitoring over a series of pipeline runs (for example the
 * share of customers in each segment, run by run). The first
 * `baselineRuns` values of each segment estimate μ0 and σ (Phase I); EWMA
 * and CUSUM then chart the runs that follow (Phase II), so a baseline is
 * never judged against itself.
 */
import { cusumChart, type CusumOptions } from './cusum-chart.js';
import { ewmaChart, type EwmaOptions } from './ewma-chart.js';

export interface KpiMonitorOptions {
  /** Runs used to estimate the in-control mean and σ. @default 10 */
  baselineRuns?: number;
  ewma?: Pick<EwmaOptions, 'lambda' | 'limitWidth'>;
  cusum?: Pick<CusumOptions, 'k' | 'h'>;
}

export type SegmentKpiStatus =
  | {
      segment: string;
      status: 'monitored';
      /** The first runs that set mean and σ (Phase I); the charts start after them. */
      baselineRuns: number;
      mean: number;
      sigma: number;
      /** Run index (into the whole series) of the first alarm, if any. */
      ewmaFirstAlarm: number | undefined;
      cusumFirstAlarm: { index: number; direction: 'up' | 'down' } | undefined;
      alarm: boolean;
    }
  | { segment: string; status: 'insufficient-baseline'; reason: string };

export function monitorSegmentKpis(
  series: Readonly<Record<string, readonly number[]>>,
  options: KpiMonitorOptions = {},
): SegmentKpiStatus[] {
  const baselineRuns = options.baselineRuns ?? 10;
  return Object.entries(series).map(([segment, values]) => monitorOne(segment, values, baselineRuns, options));
}

function monitorOne(segment: string, values: readonly number[], baselineRuns: number, options: KpiMonitorOptions): SegmentKpiStatus {
  if (values.length <= baselineRuns || baselineRuns < 2) {
    return { segment, status: 'insufficient-baseline', reason: `needs more than ${Math.max(baselineRuns, 2)} runs, has ${values.length}` };
  }
  const baseline = values.slice(0, baselineRuns);
  const mean = baseline.reduce((sum, value) => sum + value, 0) / baselineRuns;
  const sigma = Math.sqrt(baseline.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (baselineRuns - 1));
  if (!(sigma > 0)) {
    return { segment, status: 'insufficient-baseline', reason: 'baseline runs are constant, so σ is 0 and no limits can be set' };
  }
  const monitored = values.slice(baselineRuns);
  const ewma = ewmaChart(monitored, { mean, sigma, ...options.ewma });
  const cusum = cusumChart(monitored, { mean, sigma, ...options.cusum });
  const ewmaFirstAlarm = ewma.firstAlarm === undefined ? undefined : ewma.firstAlarm + baselineRuns;
  const cusumFirstAlarm = cusum.firstAlarm === undefined ? undefined : { ...cusum.firstAlarm, index: cusum.firstAlarm.index + baselineRuns };
  return {
    segment,
    status: 'monitored',
    baselineRuns,
    mean,
    sigma,
    ewmaFirstAlarm,
    cusumFirstAlarm,
    alarm: ewmaFirstAlarm !== undefined || cusumFirstAlarm !== undefined,
  };
}
