import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatAnalysis } from '../cli/output/analysis-table.js';
import { writeWorld } from '../core/generate/index.js';
import { runMapping, temporaryDirectory, writeMapping } from './support/run-mapping.js';

/**
 * The analyses of a run, as `--json` shows them (issue 12): a journey table, a revenue trend,
 * drift between two runs (a re-run with nothing new is not flagged; a
 * planted shift in spend is), and a validation table per segmentation.
 */
const NOW = Date.parse('2026-08-01T00:00:00Z');
const USERS = 600;

describe('analysis in the run summary', () => {
  it('journeys, drift between runs (none, then a planted shift, posted to the webhook) and validation', async () => {
    const received: unknown[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push(JSON.parse(body));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const env = { ...process.env, SEGFLOW_TEST_WEBHOOK: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts?token=secret` };
    const directory = temporaryDirectory('analysis-run');
    await writeWorld(join(directory, 'events', 'a.jsonl'), { seed: 8, users: USERS, start: Date.UTC(2026, 0, 1), days: 180 });
    const mapping = writeMapping(directory, `version: 1
sources:
  - id: web
    type: segment-files
    path: events
features:
  as_of: "2026-07-01"
  include: [recency_days, frequency, frequency_90d, monetary]
segments:
  - id: rfm
    model: rfm
  - id: engagement
    model: weighted_score
    features: [frequency, recency_days]
    weights: { frequency: 1, recency_days: -1 }
analysis:
  drift:
    features: [frequency, monetary, recency_days]
    baseline_runs: 2
    webhook: \${env:SEGFLOW_TEST_WEBHOOK}
  journeys: {}
  validation: {}
  trends: {}
`);
    const first = await runMapping(mapping, join(directory, 'state'), () => NOW, env);
    const journeys = first.analysis?.journeys;
    expect(journeys?.funnel.steps.map((step) => step.name)).toEqual(['view', 'cart', 'checkout', 'purchase']);
    const reached = journeys?.funnel.steps.map((step) => step.reached) ?? [];
    expect(reached[0]).toBeGreaterThan(reached[3] as number);
    expect(journeys?.toGoal.find((state) => state.state === 'checkout')?.probability).toBeGreaterThan(journeys?.toGoal.find((state) => state.state === 'view')?.probability as number);
    expect(first.analysis?.drift).toBeNull();
    const validation = first.analysis?.validation?.[0];
    expect(validation?.segmentation).toBe('rfm');
    expect(validation?.segments.length).toBeGreaterThan(3);
    expect(validation?.valueTest?.p).toBeLessThan(1e-6);
    expect(validation?.valueAnova?.p).toBeLessThan(1e-3);
    // A score that rewards frequent, recent buyers tracks their spend.
    const score = first.analysis?.scoreCorrelations?.find((correlation) => correlation.score === 'engagement_score');
    expect(score?.spearman.coefficient).toBeGreaterThan(0.3);
    expect(score?.spearman.p).toBeLessThan(1e-6);
    const trends = first.analysis?.trends;
    expect(trends?.days).toBeGreaterThan(150);
    expect(trends?.strength.seasonal).toBeGreaterThanOrEqual(0);
    expect(trends?.strength.seasonal).toBeLessThanOrEqual(1);
    expect(trends?.forecast).toHaveLength(14);
    for (const day of trends?.forecast ?? []) expect(day.lower <= day.mean && day.mean <= day.upper).toBe(true);
    expect(trends?.series.observed.length).toBe(trends?.days);
    // Per segment and KPI: every RFM segment has its daily series on the store's calendar, decomposed where it moves.
    const segmentTrends = first.analysis?.segmentTrends;
    const rfmSegments = first.segments.filter((segment) => segment.id.startsWith('rfm/')).map((segment) => segment.id);
    const dailyRevenue = segmentTrends?.series.filter((entry) => entry.kpi === 'revenue' && entry.interval === 'day' && entry.segmentation === 'rfm') ?? [];
    expect(dailyRevenue.map((entry) => entry.segment).sort()).toEqual([...rfmSegments].sort());
    expect(segmentTrends?.days).toBeGreaterThan(150);
    for (const entry of dailyRevenue) {
      expect(entry.points).toBe(segmentTrends?.days);
      if (entry.decomposition) expect(entry.decomposition.strength.seasonal).toBeGreaterThanOrEqual(0);
      else expect(entry.skipped).toMatch(/constant|too sparse/);
    }
    expect(dailyRevenue.filter((entry) => entry.decomposition !== null).length).toBeGreaterThan(2);
    // Segment revenue adds up to the revenue the members' orders made; weekly series are too short for a yearly season, and say so.
    const weekly = segmentTrends?.series.find((entry) => entry.interval === 'week');
    expect(weekly?.skipped).toMatch(/^\d+ weeks: STL with period 52 needs at least 104$/);
    // Monthly RFM migration: every buyer at one month end is in a segment at the next, plus the new buyers.
    const migration = first.analysis?.segmentMigration;
    expect(migration?.months.length).toBeGreaterThanOrEqual(4);
    migration?.steps.forEach((step, index) => {
      const moved = step.counts.flat().reduce((sum, value) => sum + value, 0);
      const before = (migration.sizes[index] as number[]).reduce((sum, value) => sum + value, 0);
      const after = (migration.sizes[index + 1] as number[]).reduce((sum, value) => sum + value, 0);
      expect(moved).toBe(before);
      expect(after).toBe(before + step.newBuyers);
    });
    expect(formatAnalysis(first.analysis ?? {})).toMatch(/segment KPI trends: .*\n[\s\S]*RFM migration, 2026-/);

    const unchanged = await runMapping(mapping, join(directory, 'state'), () => NOW, env);
    expect(unchanged.analysis?.drift?.recluster).toBe(false);
    expect(Math.max(...(unchanged.analysis?.drift?.features.map((feature) => feature.psi) ?? [1]))).toBeLessThan(0.01);

    // Every customer places one large extra order: spend shifts, the rest does not.
    const orders = Array.from({ length: USERS }, (_, index) => JSON.stringify({
      type: 'track', messageId: `planted-${index}`, userId: `user-${index}`, event: 'Order Completed', timestamp: '2026-06-15T12:00:00Z',
      properties: { order_id: `planted-${index}`, revenue: 2_000, currency: 'USD' },
    }));
    writeFileSync(join(directory, 'events', 'b.jsonl'), `${orders.join('\n')}\n`);
    const shifted = await runMapping(mapping, join(directory, 'state'), () => NOW, env);
    const drift = shifted.analysis?.drift;
    expect(drift?.recluster).toBe(true);
    const monetary = drift?.features.find((feature) => feature.feature === 'monetary');
    expect(monetary?.psi).toBeGreaterThan(0.25);
    expect(drift?.reasons.join(' ')).toMatch(/monetary/);
    // Segment shares are charted from the run history: two identical baseline runs leave no σ to set limits with.
    const shares = shifted.analysis?.segmentShares ?? [];
    expect(shares.length).toBe(shifted.segments.length);
    for (const status of shares) expect(status).toMatchObject({ status: 'insufficient-baseline', reason: expect.stringMatching(/σ is 0/) });
    // So are each segment's conversion, AOV and retention, read back from the stored validation of every run.
    const kpiCharts = shifted.analysis?.segmentKpis ?? [];
    expect(new Set(kpiCharts.map((chart) => chart.kpi))).toEqual(new Set(['conversion', 'aov', 'retention']));
    // Every segment any run measured is charted (the planted orders emptied some that earlier runs had).
    const measured = [first, unchanged, shifted].flatMap((summary) => (summary.analysis?.validation ?? []).flatMap((validation) => validation.segments.map((segment) => segment.segment)));
    expect(kpiCharts.filter((chart) => chart.kpi === 'conversion').map((chart) => chart.segment).sort()).toEqual([...new Set(measured)].sort());
    for (const chart of kpiCharts) expect(chart.status).toBe('insufficient-baseline');
    // Only the run with an alert posted, once, with the re-cluster recommendation.
    expect(shifted.analysis?.webhook).toEqual({ delivered: true, alerts: 1 });
    expect(received).toEqual([{ mapping: 'mapping', runId: shifted.runId, alerts: [expect.objectContaining({ kind: 'recluster' })] }]);
    await new Promise((resolve) => server.close(resolve));
  });
});
