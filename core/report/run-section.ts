import type { ReportInput } from './report-input.js';
import { chart, table, text, type SectionView } from './report-view.js';
import { formatCount } from './format.js';

const STAGES = ['ingest', 'identity', 'features', 'segments', 'sync'] as const;

/** The run: reconciliation of rows read, profiles, stage timings and quarantine reasons. */
export function runSection(input: ReportInput): SectionView {
  const { summary } = input.run;
  const { events, identity } = summary;
  const reconciliation: Array<[string, number]> = [
    ['read', events.read], ['accepted', events.accepted], ['quarantined', events.quarantined],
    ['duplicates', events.duplicates], ['stored this run', events.stored],
  ];
  const timings = STAGES.filter((stage) => summary.timingsMs[stage] !== undefined).map((stage) => [stage, summary.timingsMs[stage]] as [string, number]);
  const balanced = events.read === events.accepted + events.quarantined + events.duplicates;
  return {
    id: 'run',
    title: 'Run',
    blocks: [
      text(
        `${formatCount(events.read)} rows read: ${formatCount(events.accepted)} accepted, ${formatCount(events.quarantined)} quarantined, ${formatCount(events.duplicates)} duplicates${balanced ? ' (they add up)' : ' (they do NOT add up: read ≠ accepted + quarantined + duplicates)'}; ${formatCount(events.storedTotal)} events stored in all.`,
        `${formatCount(summary.profiles)} profiles from ${formatCount(identity.identifiers)} identifiers (${formatCount(identity.merges)} merges, ${formatCount(identity.refusedLinks)} links refused).`,
      ),
      chart({
        id: 'run-reconciliation', title: 'Rows read and where they went',
        summary: 'Bar chart of this run\'s rows read, accepted, quarantined, duplicates and events stored, each labelled with its count.',
        option: barOption(reconciliation.map(([label]) => label), reconciliation.map(([, value]) => value), 'rows'),
        table: { caption: 'Reconciliation', columns: ['Count', 'Rows'], rows: reconciliation },
      }),
      table('Per source', ['Source', 'Read', 'Accepted', 'Quarantined', 'Duplicates', 'Stored'],
        summary.sources.map((source) => [source.sourceId, source.read, source.accepted, source.quarantined, source.duplicates, source.events])),
      table('Identity', ['Profiles', 'Identifiers', 'New links', 'Merges', 'Refused links'],
        [[identity.profiles, identity.identifiers, identity.newLinks, identity.merges, identity.refusedLinks]]),
      chart({
        id: 'run-timings', title: 'Time per stage',
        summary: 'Bar chart of the milliseconds each stage of the run took.',
        option: barOption(timings.map(([stage]) => stage), timings.map(([, ms]) => ms), 'ms'),
        table: { caption: 'Timings', columns: ['Stage', 'Milliseconds'], rows: timings },
      }),
      input.quarantineReasons.length === 0
        ? text('No row was quarantined this run.')
        : table('Quarantine reasons (quoted values and numbers blanked)', ['Reason', 'Rows'], input.quarantineReasons.map((reason) => [reason.pattern, reason.count])),
    ],
  };
}

/** A labelled bar chart: values printed on the bars, so colour carries nothing. */
export function barOption(categories: string[], values: number[], unit: string, horizontal = false): Record<string, unknown> {
  const categoryAxis = { type: 'category', data: categories, axisLabel: { interval: 0, width: 140, overflow: 'truncate' } };
  const valueAxis = { type: 'value', name: unit };
  return {
    grid: { containLabel: true, left: 8, right: 32, top: 36, bottom: 8 },
    tooltip: { trigger: 'axis' },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
    series: [{ type: 'bar', name: unit, data: values, label: { show: true, position: horizontal ? 'right' : 'top' } }],
  };
}
