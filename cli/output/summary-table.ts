import type { RunSummary } from '../../core/pipeline/run-pipeline.js';
import type { ModelSegmentationSummary } from '../../core/segments/model-segments.js';

const number = (value: number) => value.toLocaleString('en-US');

function table(headers: string[], rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => (rightAligned.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ');
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/** The human summary of a run: what came in, what was rejected, the segments. */
export function formatRunSummary(summary: RunSummary): string {
  const out: string[] = [];
  out.push(table(
    ['source', 'read', 'accepted', 'quarantined', 'duplicates', 'new events'],
    summary.sources.map((source) => [source.sourceId, number(source.read), number(source.accepted), number(source.quarantined), number(source.duplicates), number(source.events)]),
    new Set([1, 2, 3, 4, 5]),
  ));
  const { events } = summary;
  const suppressed = events.suppressed ?? 0;
  const reconciles = events.read === events.accepted + events.quarantined + events.duplicates + suppressed;
  out.push(`\nread ${number(events.read)} = accepted ${number(events.accepted)} + quarantined ${number(events.quarantined)} + duplicates ${number(events.duplicates)}${suppressed > 0 ? ` + erased ${number(suppressed)}` : ''}${reconciles ? '' : '  (DOES NOT RECONCILE: please report)'}`);
  if (suppressed > 0) out.push(`erased people: ${number(suppressed)} record(s) of people on the suppression list dropped, not stored`);
  if (summary.retention) out.push(`retention (${summary.retention.window}): ${number(summary.retention.purged)} event(s) from before ${summary.retention.before} deleted`);
  out.push(`events stored: ${number(events.storedTotal)} in total (${number(events.stored)} new)`);
  if (summary.quarantineFile) out.push(`quarantine: ${summary.quarantineFile}`);
  out.push(`profiles: ${number(summary.profiles)} (identity: ${number(summary.identity.merges)} merges, ${number(summary.identity.refusedLinks)} links refused by merge policy)`);
  out.push(`features as of ${summary.asOf}: ${summary.features.join(', ')}\n`);
  const total = Math.max(summary.profiles, 1);
  out.push(table(
    ['segment', 'name', 'profiles', 'share'],
    summary.segments.map((segment) => [segment.id, segment.name, number(segment.size), `${((100 * segment.size) / total).toFixed(1)}%`]),
    new Set([2, 3]),
  ));
  for (const model of summary.models ?? []) out.push(`\n${formatModel(model, summary.profiles)}`);
  const timings = Object.entries(summary.timingsMs).map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(1)}s`).join(', ');
  out.push(`\nstate: ${summary.stateDir}  (${timings})`);
  return `${out.join('\n')}\n`;
}

/** A model segmentation: how k was chosen (table), each segment's name and why, what changed since the last run. */
export function formatModel(model: ModelSegmentationSummary, profiles: number): string {
  const out: string[] = [`${model.id} (${model.model}${model.audience !== undefined && model.audience !== profiles ? `, ${number(model.audience)} of ${number(profiles)} profiles` : ''})`];
  for (const note of model.notes) out.push(`  ${note}`);
  if (model.kTable) {
    out.push('');
    out.push(table(
      ['k', 'inertia', 'silhouette', 'Calinski-Harabasz', 'Davies-Bouldin'],
      model.kTable.map((row) => [String(row.k), row.inertia.toFixed(1), row.silhouette.toFixed(4), row.calinskiHarabasz.toFixed(1), row.daviesBouldin.toFixed(4)]),
      new Set([0, 1, 2, 3, 4]),
    ).replace(/^/gm, '  '));
  }
  if (model.segments.length > 0) {
    out.push('');
    out.push(table(
      ['segment', 'name', 'profiles', 'share', 'since last run', 'why this name'],
      [...model.segments].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true })).map((segment) => [
        segment.id, segment.name, number(segment.size), `${((100 * segment.size) / Math.max(model.audience ?? profiles, 1)).toFixed(1)}%`,
        segment.status === 'kept' ? (segment.moved === null ? 'kept' : `kept (moved ${segment.moved.toFixed(3)})`) : 'new',
        segment.nameSource === 'pinned' ? `pinned in the mapping; ${segment.reason}` : segment.reason,
      ]),
      new Set([2, 3]),
    ).replace(/^/gm, '  '));
  }
  for (const retired of model.retired) out.push(`  retired ${retired.id} "${retired.name}" (${number(retired.previousSize)} profiles last run): ${retired.reason}`);
  if (model.movedShare !== null) out.push(`\n  ${(100 * model.movedShare).toFixed(1)}% of returning profiles changed segment since the last run`);
  if (model.migrationTable) out.push(model.migrationTable.replace(/^/gm, '  '));
  for (const warning of model.warnings) out.push(`  note: ${warning}`);
  return out.join('\n');
}
