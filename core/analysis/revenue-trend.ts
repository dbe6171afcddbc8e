import type { DuckDBConnection } from '@duckdb/node-api';
import type { Mapping } from '../config/mapping-schema.js';
import { sqlString } from '../features/sql-quote.js';
import { changePoints, denseSeries, etsForecast, etsIntervals, fitHoltWinters, holtWinters, stl, strength, type ForecastInterval } from './trends/index.js';

/**
 * The daily revenue trend of a run (issue 12, part 2): the dense daily
 * series of order revenue, its robust STL decomposition (period 7) with
 * Hyndman's trend and seasonal strength, the days where its level changed
 * (PELT), and a Holt-Winters forecast (two weeks by default) with 95% intervals. Null
 * when there are fewer than four weeks of orders.
 */
export interface RevenueTrend {
  start: string;
  days: number;
  strength: { trend: number; seasonal: number };
  /** First day of each new level, with the level's mean revenue per day. */
  changes: Array<{ day: string; mean: number }>;
  forecast: Array<{ day: string } & ForecastInterval>;
  /** The components, for the report. */
  series: { observed: number[]; trend: number[]; seasonal: number[]; resid: number[] };
}

const DAY_MS = 86_400_000;
const PERIOD = 7;

export async function revenueTrend(duck: DuckDBConnection, mapping: Mapping): Promise<RevenueTrend | null> {
  const reader = await duck.runAndReadAll(`SELECT epoch_ms(date_trunc('day', ts))::DOUBLE, sum(revenue)::DOUBLE FROM events
    WHERE type = 'track' AND event = ${sqlString(mapping.features.events.order)} AND revenue IS NOT NULL GROUP BY 1 ORDER BY 1`);
  const points = reader.getRows().map(([timestamp, value]) => ({ timestamp: Number(timestamp), value: Number(value) }));
  if (points.length === 0) return null;
  const series = denseSeries(points, { interval: 'day' });
  const values = series.values;
  if (values.length < 4 * PERIOD) return null;
  const decomposition = stl(values, { period: PERIOD, robust: true });
  const levels = changePoints(values);
  const horizon = mapping.analysis?.trends?.forecast_days ?? 14;
  const fitted = fitHoltWinters(values, PERIOD);
  const model = holtWinters(values, fitted.parameters, fitted.initial, PERIOD, horizon);
  const mean = etsForecast(model, horizon);
  const intervals = etsIntervals(mean, fitted.parameters, PERIOD, model.sse / values.length);
  const day = (index: number) => new Date(series.start + index * DAY_MS).toISOString().slice(0, 10);
  return {
    start: day(0),
    days: values.length,
    strength: strength(decomposition),
    changes: levels.segments.slice(1).map((segment) => ({ day: day(segment.start), mean: segment.mean })),
    forecast: intervals.map((interval, index) => ({ day: day(values.length + index), ...interval })),
    series: { observed: Array.from(values), trend: Array.from(decomposition.trend), seasonal: Array.from(decomposition.seasonal), resid: Array.from(decomposition.resid) },
  };
}
