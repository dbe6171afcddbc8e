import type { ReportInput } from './report-input.js';
import { barOption } from './run-section.js';
import { chart, table, text, type SectionView } from './report-view.js';

/** Segments: sizes and shares of the profiles, and for model segments their names with the reason. */
export function segmentsSection(input: ReportInput): SectionView {
  const { summary } = input.run;
  const base = summary.profiles;
  const segments = [...summary.segments].sort((a, b) => a.segmentation.localeCompare(b.segmentation) || b.size - a.size);
  const share = (size: number) => (base > 0 ? size / base : 0);
  const reasons = summary.models.flatMap((model) => model.segments.map((segment) => [
    model.id, segment.id, segment.name, segment.size, model.audience ? segment.size / model.audience : null, segment.status, segment.nameSource, segment.reason,
  ]));
  const retired = summary.models.flatMap((model) => model.retired.map((segment) => `${model.id}: ${segment.name} (${segment.id}) retired`));
  return {
    id: 'segments',
    title: 'Segments',
    blocks: [
      text(`${segments.length} segments over ${base.toLocaleString('en-US')} profiles. Shares are of all profiles; a profile can be in one segment per segmentation.`),
      chart({
        id: 'segment-sizes', title: 'Segment sizes',
        summary: 'Horizontal bar chart of the number of profiles in each segment, labelled with the count.',
        option: barOption(segments.map((segment) => `${segment.name} (${segment.segmentation})`), segments.map((segment) => segment.size), 'profiles', true),
        table: {
          caption: 'Segment sizes', columns: ['Segmentation', 'Segment id', 'Name', 'Profiles', 'Share of profiles'],
          rows: segments.map((segment) => [segment.segmentation, segment.id, segment.name, segment.size, share(segment.size)]),
        },
        height: Math.max(360, 26 * segments.length + 60),
      }),
      ...(reasons.length > 0
        ? [table('Model segments: names and why', ['Segmentation', 'Segment id', 'Name', 'Profiles', 'Share of audience', 'Status', 'Name from', 'Reason'], reasons)]
        : []),
      ...(retired.length > 0 ? [text(...retired)] : []),
      ...summary.models.filter((model) => model.warnings.length > 0).map((model) => text(...model.warnings.map((warning) => `${model.id}: ${warning}`))),
    ],
  };
}
