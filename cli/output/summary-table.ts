import type { RunSummary } from '../../core/pipeline/run-pipeline.js';

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
  const reconciles = events.read === events.accepted + events.quarantined + events.duplicates;
  out.push(`\nread ${number(events.read)} = accepted ${number(events.accepted)} + quarantined ${number(events.quarantined)} + duplicates ${number(events.duplicates)}${reconciles ? '' : '  (DOES NOT RECONCILE: please report)'}`);
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
  const timings = Object.entries(summary.timingsMs).map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(1)}s`).join(', ');
  out.push(`\nstate: ${summary.stateDir}  (${timings})`);
  return `${out.join('\n')}\n`;
}
