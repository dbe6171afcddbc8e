import type { AnalysisSummary } from './analysis-summary.js';

/**
 * The alerts a run's analyses raise (pure): a re-cluster recommendation from
 * feature drift, and segments whose share left its control limits. What
 * the webhook posts and the report shows.
 */
export interface DriftAlert {
  kind: 'recluster' | 'segment-share';
  message: string;
  segment?: string;
}

export function driftAlerts(analysis: AnalysisSummary): DriftAlert[] {
  const alerts: DriftAlert[] = [];
  if (analysis.drift?.recluster) alerts.push({ kind: 'recluster', message: `re-cluster recommended: ${analysis.drift.reasons.join('; ')}` });
  for (const status of analysis.segmentShares ?? []) {
    if (status.status !== 'monitored' || !status.alarm) continue;
    const direction = status.cusumFirstAlarm?.direction;
    alerts.push({ kind: 'segment-share', segment: status.segment, message: `segment ${status.segment}: its share of profiles left its control limits${direction ? ` (${direction === 'up' ? 'growing' : 'shrinking'})` : ''}` });
  }
  return alerts;
}
