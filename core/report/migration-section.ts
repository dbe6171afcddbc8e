import type { ReportInput } from './report-input.js';
import { chart, text, type Block, type Cell, type SectionView } from './report-view.js';

/** Who moved where since the last run: a Sankey from the previous run's segments to this run's. */
export function migrationSection(input: ReportInput): SectionView {
  const names = new Map(input.run.summary.models.flatMap((model) => model.segments.map((segment) => [segment.id, segment.name] as const)));
  const label = (id: string) => (names.has(id) ? `${names.get(id) as string} (${id})` : id);
  const blocks: Block[] = [];
  if (input.migrations.length === 0) {
    blocks.push(text(input.previousRunId === undefined
      ? 'This is the first run: there is nothing to compare with yet.'
      : 'No model segmentation could be compared with the previous run (new segmentation, or its features changed).'));
  }
  for (const migration of input.migrations) {
    const links: Array<{ source: string; target: string; value: number }> = [];
    const rows: Cell[][] = [];
    migration.from.forEach((from, row) => migration.to.forEach((to, column) => {
      const count = migration.counts[row]?.[column] ?? 0;
      if (count > 0) {
        links.push({ source: `before: ${label(from)}`, target: `now: ${label(to)}`, value: count });
        rows.push([from, to, count]);
      }
    }));
    const nodes = [...new Set(links.flatMap((link) => [link.source, link.target]))].map((name) => ({ name }));
    const summary = input.run.summary.models.find((model) => model.id === migration.segmentation);
    const moved = summary?.movedShare;
    blocks.push(text(`${migration.segmentation}: ${moved === null || moved === undefined ? 'no share moved measured' : `${(moved * 100).toFixed(1)}% of the profiles in both runs changed segment`} since run ${input.previousRunId ?? '(unknown)'}.`));
    blocks.push(chart({
      id: `migration-${migration.segmentation}`, title: `${migration.segmentation}: migration since the last run`,
      summary: 'Sankey diagram: bands flow from the previous run\'s segments (left, "before:") to this run\'s (right, "now:"); band width is the number of profiles.',
      option: {
        tooltip: { trigger: 'item' },
        series: [{ type: 'sankey', left: 8, right: 280, top: 8, bottom: 8, data: nodes, links, emphasis: { focus: 'adjacency' }, label: { formatter: '{b}' }, lineStyle: { color: 'gradient', opacity: 0.45 } }],
      },
      table: { caption: `${migration.segmentation}: profiles per (previous segment, current segment)`, columns: ['Before', 'Now', 'Profiles'], rows },
      height: Math.max(360, 28 * Math.max(migration.from.length, migration.to.length) + 40),
    }));
  }
  return { id: 'migration', title: 'Migration since the last run', blocks };
}
