import type { RunJobSummary } from '../runtime/run-job.js';
import type { ReportInput } from './report-input.js';

/** A small run, shaped as `segflow run --json` prints it, with one k-means segmentation and one sink. */
export function reportFixture(overrides: { segmentName?: string; population?: number } = {}): ReportInput {
  const name = overrides.segmentName ?? 'Champions';
  const population = overrides.population ?? 2_000;
  const summary = {
    runId: 'run-2', stateDir: '/tmp/state', asOf: '2026-09-01T00:00:00.000Z',
    sources: [{ sourceId: 'shop', read: 1_010, accepted: 1_000, quarantined: 4, duplicates: 6, events: 1_000, uncommitted: 0, progress: 1 }],
    events: { read: 1_010, accepted: 1_000, quarantined: 4, duplicates: 6, stored: 1_000, storedTotal: 1_900 },
    quarantineFile: null,
    identity: { profiles: population, identifiers: 2 * population, newLinks: 10, merges: 1, refusedLinks: 0 },
    profiles: population,
    features: ['frequency', 'monetary'],
    segments: [
      { id: 'behavior-1', name, segmentation: 'behavior', model: 'kmeans', size: 1_200 },
      { id: 'behavior-2', name: 'Lapsed', segmentation: 'behavior', model: 'kmeans', size: 800 },
      { id: 'vip', name: 'VIP', segmentation: 'vip', model: 'rules', size: 50 },
    ],
    models: [{
      id: 'behavior', model: 'kmeans', notes: ['k = 2: the best separation of k = 2–3'], imputed: {}, retired: [], movedShare: 0.25, warnings: [], audience: 2_000,
      kTable: [
        { k: 2, inertia: 900, silhouette: 0.5, calinskiHarabasz: 1_000, daviesBouldin: 0.9, iterations: 5 },
        { k: 3, inertia: 700, silhouette: 0.4, calinskiHarabasz: 800, daviesBouldin: 1.1, iterations: 6 },
      ],
      segments: [
        { id: 'behavior-1', name, size: 1_200, status: 'kept', nameSource: 'generated', reason: `${name}: frequency +1.2σ`, moved: 100 },
        { id: 'behavior-2', name: 'Lapsed', size: 800, status: 'kept', nameSource: 'generated', reason: 'Lapsed: frequency −0.8σ', moved: 150 },
      ],
      metrics: { k: 2, inertia: 900 },
    }],
    sync: [{
      sinkId: 'hubspot', type: 'hubspot', mode: 'sync', profiles: 1_500, excluded: { noKey: 400, noConsent: 100, sharedKey: 0, suppressed: 0 }, unchanged: 10, parked: 0,
      planned: { upsert: 1_490, update: 0, 'list-add': 300, 'list-remove': 0, delete: 0 },
      examples: [{ op: 'upsert', profileId: 'u:alice', key: 'alice.secret@example.com', detail: 'phone=+1 555 0100' }],
      minimumCalls: 20, calls: 24,
      execution: {
        byOp: {}, applied: 1_780, created: 1_400, skipped: 3, deadLettered: 7, failed: 0, blocked: 0, retries: 2, throttled: 1,
        failureSamples: [{ profileId: 'u:alice', op: 'upsert', code: 'INVALID_EMAIL', message: 'alice.secret@example.com is not valid' }],
      },
    }],
    timingsMs: { ingest: 100, identity: 10, features: 20, segments: 30, sync: 40 },
  } as unknown as RunJobSummary;
  return {
    mapping: 'retail-demo',
    run: { runId: 'run-2', startedAt: '2026-09-01T00:00:00.000Z', finishedAt: '2026-09-01T00:01:00.000Z', summary },
    previousRunId: 'run-1',
    history: [
      { runId: 'run-1', profiles: population, segments: [{ id: 'behavior-1', size: 1_100 }, { id: 'behavior-2', size: 900 }] },
      { runId: 'run-2', profiles: population, segments: [{ id: 'behavior-1', size: 1_200 }, { id: 'behavior-2', size: 800 }] },
    ],
    quarantineReasons: [{ pattern: 'timestamp "…" is not a date', count: 4 }],
    profiles: [{
      segmentation: 'behavior', features: ['frequency', 'monetary'],
      segments: [
        { id: 'behavior-1', name, size: 1_200, z: [1.2, 0.9], means: [8, 640.5] },
        { id: 'behavior-2', name: 'Lapsed', size: 800, z: [-0.8, null], means: [1, null] },
      ],
    }],
    embeddings: [{
      segmentation: 'behavior', explained: [0.7, 0.2], population, sampled: 4,
      segments: [{ id: 'behavior-1', name }, { id: 'behavior-2', name: 'Lapsed' }],
      points: [[0.1, 0.2, 0, 0], [0.3, -0.1, 0, 1], [-1, 0.5, 1, 0], [-1.2, 0.4, 1, 0]],
      outlierRule: 'the 1% farthest from their centre',
    }],
    migrations: [{ segmentation: 'behavior', from: ['behavior-1', 'behavior-2', '(new)'], to: ['behavior-1', 'behavior-2', '(gone)'], counts: [[1_000, 100, 0], [150, 650, 0], [50, 50, 0]] }],
  };
}
