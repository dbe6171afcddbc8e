import type { ReportInput } from './report-input.js';
import type { ReportView, SectionView } from './report-view.js';
import { formatCount, formatShare } from './format.js';
import { journeysSection } from './journeys-section.js';
import { kSelectionSection } from './k-selection-section.js';
import { migrationSection } from './migration-section.js';
import { anomaliesSection, profilesSection } from './profiles-section.js';
import { runSection } from './run-section.js';
import { segmentsSection } from './segments-section.js';
import { syncSection } from './sync-section.js';
import { segmentsOverTimeSection } from './segments-over-time-section.js';
import { trendsSection } from './trends-section.js';
import { validationSection } from './validation-section.js';

/** A run's report as sections, in reading order; sections with nothing to show are left out. */
export function buildReport(input: ReportInput): ReportView {
  const { summary } = input.run;
  const sections = [
    runSection(input), segmentsSection(input), kSelectionSection(input), profilesSection(input), anomaliesSection(input),
    migrationSection(input), journeysSection(input), trendsSection(input), segmentsOverTimeSection(input), validationSection(input), syncSection(input),
  ].filter((section): section is SectionView => section !== undefined);
  return {
    title: `segflow report: ${input.mapping}`,
    subtitle: `run ${summary.runId} · features as of ${summary.asOf} · started ${input.run.startedAt}${input.run.finishedAt ? ` · finished ${input.run.finishedAt}` : ''}`,
    highlights: highlights(input),
    sections,
  };
}

/** The figures a reader looks for first: how many profiles and segments, how many groups each model found, how much moved, how the syncs went. */
function highlights(input: ReportInput): ReportView['highlights'] {
  const { summary } = input.run;
  const sinks = summary.sync ?? [];
  return [
    { label: 'profiles', value: formatCount(summary.profiles) },
    { label: 'segments', value: formatCount(summary.segments.length) },
    { label: 'events stored', value: `${formatCount(summary.events.storedTotal)} (${formatCount(summary.events.stored)} new)` },
    ...summary.models.filter((model) => model.metrics.k !== undefined).map((model) => ({ label: `${model.id}: k`, value: String(model.metrics.k) })),
    ...summary.models.filter((model) => model.movedShare !== null).map((model) => ({ label: `${model.id}: moved since last run`, value: formatShare(model.movedShare ?? 0) })),
    ...(sinks.length > 0 ? [
      { label: 'changes applied', value: formatCount(sinks.reduce((total, sink) => total + (sink.execution?.applied ?? 0), 0)) },
      { label: 'dead-lettered', value: formatCount(sinks.reduce((total, sink) => total + (sink.execution?.deadLettered ?? 0), 0)) },
    ] : []),
  ];
}
