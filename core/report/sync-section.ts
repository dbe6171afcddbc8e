import type { ReportInput } from './report-input.js';
import { chart, table, text, type SectionView } from './report-view.js';

const OUTCOMES = ['applied', 'skipped', 'deadLettered', 'throttled', 'failed', 'blocked'] as const;
const OUTCOME_LABELS: Record<(typeof OUTCOMES)[number], string> = { applied: 'applied', skipped: 'skipped', deadLettered: 'dead-lettered', throttled: 'throttled', failed: 'failed', blocked: 'blocked' };
/** Decal patterns per outcome: the stacked bars read without colour. */
const DECALS = ['circle', 'rect', 'triangle', 'diamond', 'pin', 'arrow'];

/** Sync health per sink: outcomes of the changes, calls against the minimum, dead-letter reasons (codes only). */
export function syncSection(input: ReportInput): SectionView | undefined {
  const sinks = input.run.summary.sync;
  if (sinks === undefined || sinks.length === 0) return undefined;
  const ids = sinks.map((sink) => sink.sinkId);
  const outcome = (sink: (typeof sinks)[number], key: (typeof OUTCOMES)[number]) => sink.execution?.[key] ?? 0;
  const reasons = sinks.flatMap((sink) => {
    const grouped = new Map<string, number>();
    for (const sample of sink.execution?.failureSamples ?? []) grouped.set(`${sample.op}\u0000${sample.code}`, (grouped.get(`${sample.op}\u0000${sample.code}`) ?? 0) + 1);
    return [...grouped].map(([key, count]) => [sink.sinkId, ...key.split('\u0000'), count]);
  });
  return {
    id: 'sync',
    title: 'Sync health',
    blocks: [
      chart({
        id: 'sync-outcomes', title: 'Changes per sink, by outcome',
        summary: 'Stacked horizontal bar chart per sink: applied, skipped, dead-lettered, throttled, failed and blocked changes, each with its own pattern.',
        option: {
          grid: { containLabel: true, left: 8, right: 24, top: 40, bottom: 8 }, tooltip: { trigger: 'axis' }, legend: { top: 0 },
          xAxis: { type: 'value', name: 'changes' }, yAxis: { type: 'category', data: ids },
          series: OUTCOMES.map((key, index) => ({ type: 'bar', stack: 'outcomes', name: OUTCOME_LABELS[key], data: sinks.map((sink) => outcome(sink, key)), decal: { symbol: DECALS[index] } })),
        },
        table: { caption: 'Outcomes per sink', columns: ['Sink', ...OUTCOMES.map((key) => OUTCOME_LABELS[key])], rows: sinks.map((sink) => [sink.sinkId, ...OUTCOMES.map((key) => outcome(sink, key))]) },
      }),
      chart({
        id: 'sync-calls', title: 'API calls against the minimum',
        summary: 'Grouped bar chart per sink: the calls made (solid) next to the fewest calls the vendor\'s batch limits allow (hatched).',
        option: {
          grid: { containLabel: true, left: 8, right: 24, top: 40, bottom: 8 }, tooltip: { trigger: 'axis' }, legend: { top: 0 },
          xAxis: { type: 'category', data: ids }, yAxis: { type: 'value', name: 'calls' },
          series: [
            { type: 'bar', name: 'calls made', data: sinks.map((sink) => sink.calls ?? 0), label: { show: true, position: 'top' } },
            { type: 'bar', name: 'minimum', data: sinks.map((sink) => sink.minimumCalls), label: { show: true, position: 'top' }, decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: 0.8 } },
          ],
        },
        table: { caption: 'Calls per sink', columns: ['Sink', 'Calls made', 'Minimum', 'Retries'], rows: sinks.map((sink) => [sink.sinkId, sink.calls ?? 0, sink.minimumCalls, sink.execution?.retries ?? 0]) },
      }),
      table('Planned changes per sink', ['Sink', 'Type', 'Mode', 'Profiles', 'Unchanged', 'Parked', 'Upserts', 'Updates', 'List adds', 'List removes', 'Deletes', 'No key', 'No consent', 'Suppressed'],
        sinks.map((sink) => [sink.sinkId, sink.type, sink.mode, sink.profiles, sink.unchanged, sink.parked, sink.planned.upsert, sink.planned.update, sink.planned['list-add'], sink.planned['list-remove'], sink.planned.delete, sink.excluded.noKey, sink.excluded.noConsent, sink.excluded.suppressed])),
      reasons.length === 0 ? text('No change was dead-lettered or failed in the sampled results.') : table('Dead-letter and failure reasons (sampled, by error code)', ['Sink', 'Operation', 'Code', 'Samples'], reasons),
      ...sinks.filter((sink) => sink.error !== undefined).map((sink) => text(`${sink.sinkId} could not start: ${sink.error ?? ''}`)),
    ],
  };
}
