import { describe, expect, it } from 'vitest';
import { driftAlerts } from './drift-alerts.js';
import { cusumChart, ewmaChart } from './drift/index.js';
import { chartSegmentKpis, segmentKpiSeries } from './segment-kpi-history.js';
import type { SegmentationValidation } from './segment-validation.js';

/** A run summary as the history stores it, with just the validation fields the charts read. */
function run(segments: Record<string, { conversion: number; aov?: number; retention?: number }>): unknown {
  return {
    profiles: 100,
    analysis: {
      validation: [{
        segmentation: 'rfm',
        segments: Object.entries(segments).map(([segment, kpis]) => ({
          segment,
          conversionRate: { estimate: kpis.conversion, low: 0, high: 1 },
          retentionRate: { estimate: kpis.retention ?? 0.5, low: 0, high: 1 },
          averageOrderValue: kpis.aov === undefined ? undefined : { mean: kpis.aov, standardError: 1, count: 10, low: 0, high: 0 },
        })),
      }],
    },
  };
}

// Ten baseline runs of small noise around 0.30 (champions) and 0.05 (hibernating), then five more.
const noise = [0.004, -0.003, 0.001, -0.002, 0.003, -0.004, 0.002, 0.0, -0.001, 0.002];
const baseline = noise.map((offset) => run({ 'rfm/champions': { conversion: 0.3 + offset, aov: 50 + 10 * offset }, 'rfm/hibernating': { conversion: 0.05 + offset / 2 } }));

describe('per-segment KPI charts across runs', () => {
  it('reads each segment\'s KPIs oldest first, skips runs without validation and leaves gaps for missing values', () => {
    const series = segmentKpiSeries([baseline[0], { profiles: 3 }, null, baseline[1]], undefined);
    expect(series.conversion['rfm/champions']).toEqual([0.304, 0.297]);
    expect(series.aov['rfm/champions']).toEqual([50.04, 49.97]);
    // Hibernating had no orders: no AOV points at all, rather than zeros.
    expect(series.aov['rfm/hibernating']).toBeUndefined();
    expect(series.retention['rfm/hibernating']).toEqual([0.5, 0.5]);
  });

  it('flags a planted drop in one segment\'s conversion, with the same alarm index as EWMA and CUSUM on the series, and nothing else', () => {
    const later = [0.001, -0.002, 0.0, 0.002, -0.001];
    const history = [...baseline, ...later.slice(0, 4).map((offset, index) => run({
      'rfm/champions': { conversion: (index >= 2 ? 0.27 : 0.3) + offset, aov: 50 + 10 * offset },
      'rfm/hibernating': { conversion: 0.05 + offset / 2 },
    }))];
    const current = [{ segmentation: 'rfm', segments: [
      { segment: 'rfm/champions', conversionRate: { estimate: 0.27, low: 0, high: 1 }, retentionRate: { estimate: 0.5, low: 0, high: 1 }, averageOrderValue: { mean: 50, standardError: 1, count: 1, low: 0, high: 0 } },
      { segment: 'rfm/hibernating', conversionRate: { estimate: 0.0495, low: 0, high: 1 }, retentionRate: { estimate: 0.5, low: 0, high: 1 }, averageOrderValue: undefined },
    ] }] as unknown as SegmentationValidation[];
    const charts = chartSegmentKpis(history, current, { baselineRuns: 10 });
    const champions = charts.find((chart) => chart.kpi === 'conversion' && chart.segment === 'rfm/champions');
    const values = segmentKpiSeries(history, current).conversion['rfm/champions'] as number[];
    const base = values.slice(0, 10);
    const mean = base.reduce((sum, value) => sum + value, 0) / 10;
    const sigma = Math.sqrt(base.reduce((sum, value) => sum + (value - mean) ** 2, 0) / 9);
    const ewma = ewmaChart(values.slice(10), { mean, sigma });
    const cusum = cusumChart(values.slice(10), { mean, sigma });
    expect(champions).toMatchObject({ status: 'monitored', alarm: true, ewmaFirstAlarm: (ewma.firstAlarm as number) + 10, cusumFirstAlarm: { direction: 'down', index: (cusum.firstAlarm?.index as number) + 10 } });
    // The drop starts at run 12 (index 12): neither chart fires before it.
    expect(champions?.status === 'monitored' && (champions.ewmaFirstAlarm as number) >= 12).toBe(true);
    const others = charts.filter((chart) => chart !== champions && chart.status === 'monitored');
    expect(others.map((chart) => `${chart.segment}:${chart.kpi}:${chart.status === 'monitored' && chart.alarm}`)).toEqual([
      'rfm/hibernating:conversion:false', 'rfm/champions:aov:false',
    ]);
    // Retention never moved: σ is 0, so it is reported as not chartable rather than in control.
    expect(charts.filter((chart) => chart.kpi === 'retention').map((chart) => chart.status)).toEqual(['insufficient-baseline', 'insufficient-baseline']);
    const alerts = driftAlerts({ segmentKpis: charts });
    expect(alerts).toEqual([{ kind: 'segment-kpi', segment: 'rfm/champions', kpi: 'conversion', message: 'segment rfm/champions: its conversion rate left its control limits (falling)' }]);
  });
});
