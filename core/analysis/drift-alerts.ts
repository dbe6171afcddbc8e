import type { AnalysisSummary } from './analysis-summary.js';

/**
 * The alerts a run's analyses raise (pure): a re-cluster recommendation from
 * feature drift, and segments whose share left its control limits. What
 * the webhook posts and the report shows.
 */
export interface DriftAlert {
  kind: 'recluster' | 'segment-share' | 'segment-kpi';
  message: string;
  segment?: string;
  /** For segment-kpi: conversion, aov or retention. */
  kpi?: string;
}

const KPI_NAMES: Readonly<Record<string, string>> = { conversion: 'conversion rate', aov: 'average order value', retention: 'retention rate' };

export function driftAlerts(analysis: AnalysisSummary): DriftAlert[] {
  const alerts: DriftAlert[] = [];
  if (analysis.drift?.recluster) alerts.push({ kind: 'recluster', message: `re-cluster recommended: ${analysis.drift.reasons.join('; ')}` });
  for (const status of analysis.segmentShares ?? []) {
    if (status.status !== 'monitored' || !status.alarm) continue;
    const direction = status.cusumFirstAlarm?.direction;
    alerts.push({ kind: 'segment-share', segment: status.segment, message: `segment ${status.segment}: its share of profiles left its control limits${direction ? ` (${direction === 'up' ? 'growing' : 'shrinking'})` : ''}` });
  }
  for (const chart of analysis.segmentKpis ?? []) {
    if (chart.status !== 'monitored' || !chart.alarm) continue;
    const direction = chart.cusumFirstAlarm?.direction;
    alerts.push({
      kind: 'segment-kpi', segment: chart.segment, kpi: chart.kpi,
      message: `segment ${chart.segment}: its ${KPI_NAMES[chart.kpi] ?? chart.kpi} left its control limits${direction ? ` (${direction === 'up' ? 'rising' : 'falling'})` : ''}`,
    });
  }
  return alerts;
}
