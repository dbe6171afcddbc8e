import type { DuckDBConnection } from '@duckdb/node-api';
import type { Mapping } from '../config/mapping-schema.js';
import { sqlIdentifier, sqlString } from '../features/sql-quote.js';
import { loadSegmentColumns, tableColumns } from './inputs/segment-columns.js';
import { chiSquareIndependence, kruskalWallis, oneWayAnova, segmentKpis, spearmanCorrelation, type ChiSquareIndependence, type Correlation, type KruskalWallis, type OneWayAnova, type SegmentKpis, type SegmentMember } from './validation/index.js';

/**
 * Do a segmentation's segments differ on what the business cares about
 * (issue 12, part 4)? Per segment: conversion, retention and churn with
 * Wilson intervals and the average order value with a t interval; across
 * segments: chi-square on conversion (Cramér's V) and Kruskal–Wallis on
 * value per profile (ε²). Conversion is `validation.converted > 0`;
 * retention is an order in the last 90 days (`frequency_90d > 0`) when that
 * feature exists, else `recency_days <= 90`.
 */
export interface SegmentationValidation {
  segmentation: string;
  segments: Array<SegmentKpis & { name: string }>;
  /** Null when every profile converted, or none did (nothing to test). */
  conversionTest: ChiSquareIndependence | null;
  valueTest: KruskalWallis | null;
  /** The same question under normality (ANOVA F, η²), for readers who expect it; Kruskal–Wallis is the one to trust on revenue. */
  valueAnova: OneWayAnova | null;
  retentionBasis: string;
}

/** How well a model's score (`<id>_score`, `<id>_anomaly_score`) tracks value per profile: Spearman's ρ with its p. */
export interface ScoreCorrelation {
  score: string;
  kpi: string;
  spearman: Correlation;
}

export async function validateSegmentations(duck: DuckDBConnection, mapping: Mapping): Promise<SegmentationValidation[]> {
  const config = mapping.analysis?.validation;
  const converted = config?.converted ?? 'frequency';
  const value = config?.value ?? 'monetary';
  const available = await tableColumns(duck, 'features');
  const retention = available.includes('frequency_90d') ? 'frequency_90d' : available.includes('recency_days') ? 'recency_days' : undefined;
  const columns = [...new Set([converted, value, ...(retention ? [retention] : [])])].filter((column) => available.includes(column));
  if (!columns.includes(converted) || !columns.includes(value)) return [];
  const segmentations = config?.segmentations ?? mapping.segments.map((segmentation) => segmentation.id);
  const results: SegmentationValidation[] = [];
  for (const segmentation of segmentations) {
    const loaded = await loadSegmentColumns(duck, segmentation, columns);
    if (loaded.segments.length < 2) continue;
    const orders = await orderValuesByProfile(duck, segmentation, mapping.features.events.order);
    const conversion = loaded.columns[converted] as Float64Array;
    const values = loaded.columns[value] as Float64Array;
    const retained = retention ? (loaded.columns[retention] as Float64Array) : undefined;
    const members: SegmentMember[] = [];
    const byLabel = loaded.segments.map(() => [0, 0]);
    const valueGroups: number[][] = loaded.segments.map(() => []);
    for (let row = 0; row < loaded.labels.length; row++) {
      const label = loaded.labels[row] as number;
      if (label < 0) continue;
      const didConvert = (conversion[row] as number) > 0;
      const stillActive = retained === undefined ? didConvert : retention === 'recency_days' ? (retained[row] as number) <= 90 : (retained[row] as number) > 0;
      const profileId = loaded.profileIds[row] as string;
      members.push({ segment: (loaded.segments[label] as { id: string }).id, converted: didConvert, retained: stillActive, orderValues: orders.get(profileId) ?? [] });
      (byLabel[label] as number[])[didConvert ? 0 : 1] += 1;
      if (Number.isFinite(values[row])) (valueGroups[label] as number[]).push(values[row] as number);
    }
    const kpis = segmentKpis(members);
    const names = new Map(loaded.segments.map((segment) => [segment.id, segment.name]));
    const table = byLabel.filter(([yes, no]) => (yes as number) + (no as number) > 0);
    const anyConverted = table.some(([yes]) => (yes as number) > 0) && table.some(([, no]) => (no as number) > 0);
    const groups = valueGroups.filter((group) => group.length > 0);
    results.push({
      segmentation,
      segments: kpis.map((entry) => ({ ...entry, name: names.get(entry.segment) ?? entry.segment })),
      conversionTest: anyConverted && table.length >= 2 ? chiSquareIndependence(table) : null,
      valueTest: groups.length >= 2 && groups.some((group) => group.length > 1) ? kruskalWallis(groups) : null,
      valueAnova: groups.length >= 2 && groups.reduce((sum, group) => sum + group.length, 0) > groups.length ? oneWayAnova(groups) : null,
      retentionBasis: retention === undefined ? 'converted' : retention === 'recency_days' ? 'recency_days <= 90' : 'frequency_90d > 0',
    });
  }
  return results;
}

/** Order revenue per member of a segmentation (the AOV's observations). */
async function orderValuesByProfile(duck: DuckDBConnection, segmentation: string, orderEvent: string): Promise<Map<string, number[]>> {
  const reader = await duck.runAndReadAll(`SELECT m.profile_id, e.revenue FROM events e JOIN identity_map i ON i.id_key = e.id_key
    JOIN segment_members m ON m.profile_id = i.profile_id JOIN segments s ON s.segment_id = m.segment_id
    WHERE s.segmentation = ${sqlString(segmentation)} AND e.type = 'track' AND e.event = ${sqlString(orderEvent)} AND e.revenue IS NOT NULL`);
  const byProfile = new Map<string, number[]>();
  for (const [profile, revenue] of reader.getRows()) {
    const key = String(profile);
    let values = byProfile.get(key);
    if (!values) byProfile.set(key, (values = []));
    values.push(Number(revenue));
  }
  return byProfile;
}
/** Spearman's ρ of every model score column with the value KPI, over profiles that have both. */
export async function scoreCorrelations(duck: DuckDBConnection, mapping: Mapping): Promise<ScoreCorrelation[]> {
  const value = mapping.analysis?.validation?.value ?? 'monetary';
  const columns = await tableColumns(duck, 'features');
  if (!columns.includes(value)) return [];
  const scores = columns.filter((column) => column.endsWith('_score') && column !== value);
  const results: ScoreCorrelation[] = [];
  for (const score of scores) {
    const [x, y] = [sqlIdentifier(score), sqlIdentifier(value)];
    const reader = await duck.runAndReadAll(`SELECT ${x}::DOUBLE, ${y}::DOUBLE FROM features WHERE ${x} IS NOT NULL AND ${y} IS NOT NULL`);
    const rows = reader.getRows();
    if (rows.length < 3) continue;
    results.push({ score, kpi: value, spearman: spearmanCorrelation(rows.map(([x]) => Number(x)), rows.map(([, y]) => Number(y))) });
  }
  return results;
}
