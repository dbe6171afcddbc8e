import type { ReportInput } from './report-input.js';
import { barOption } from './run-section.js';
import { chart, round, table, type SectionView } from './report-view.js';

/** Journeys: the funnel with drop-off, the path Sankey and the transition matrix as a heatmap. */
export function journeysSection(input: ReportInput): SectionView | undefined {
  const journeys = input.run.summary.analysis?.journeys;
  if (journeys === undefined) return undefined;
  const steps = journeys.funnel.steps;
  const nodes = journeys.sankey.nodes.map((node) => ({ name: node.id, label: node.name }));
  const links = journeys.sankey.links.map((link) => ({ source: nodes[link.source]?.name ?? '', target: nodes[link.target]?.name ?? '', value: link.value }));
  const states = [...new Set(journeys.transitions.flatMap((transition) => [transition.from, transition.to]))];
  return {
    id: 'journeys',
    title: 'Journeys',
    blocks: [
      chart({
        id: 'journey-funnel', title: `Funnel (${journeys.by === 'session' ? 'per session' : 'per profile'})`,
        summary: `Bar chart of how many ${journeys.by === 'session' ? 'sessions' : 'profiles'} reach each funnel step, labelled with the count.`,
        option: barOption(steps.map((step) => step.name), steps.map((step) => step.reached), 'reached'),
        table: {
          caption: 'Funnel', columns: ['Step', 'Reached', 'Conversion from previous', 'Conversion from first', 'Drop-off'],
          rows: steps.map((step) => [step.name, step.reached, step.conversionFromPrevious, step.conversionFromFirst, step.dropOff]),
        },
      }),
      chart({
        id: 'journey-sankey', title: 'Paths, step by step',
        summary: 'Sankey diagram of the first steps of each journey; each node is labelled with its step number and state, band width is the number of journeys.',
        option: {
          tooltip: { trigger: 'item' },
          series: [{ type: 'sankey', left: 8, right: 120, top: 8, bottom: 8, data: nodes.map((node) => ({ name: node.name })), links, emphasis: { focus: 'adjacency' }, lineStyle: { color: 'gradient', opacity: 0.45 } }],
        },
        table: { caption: 'Path moves (step:state → step:state)', columns: ['From', 'To', 'Journeys'], rows: links.map((link) => [link.source, link.target, link.value]) },
        height: 420,
      }),
      chart({
        id: 'journey-transitions', title: 'Transition matrix',
        summary: 'Heatmap of the probability of moving from each state (rows) to each next state (columns); every cell is labelled with its probability.',
        option: {
          grid: { containLabel: true, left: 8, right: 8, top: 16, bottom: 64 }, tooltip: { position: 'top' },
          xAxis: { type: 'category', name: 'to', data: states, splitArea: { show: true } }, yAxis: { type: 'category', name: 'from', data: states, inverse: true, splitArea: { show: true } },
          visualMap: { type: 'continuous', min: 0, max: 1, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#f7fbff', '#08306b'] } },
          series: [{ type: 'heatmap', name: 'probability', label: { show: true }, data: journeys.transitions.map((transition) => [states.indexOf(transition.to), states.indexOf(transition.from), round(transition.probability, 3)]) }],
        },
        table: {
          caption: 'Transitions', columns: ['From', 'To', 'Count', 'Probability', 'Lower (95%)', 'Upper (95%)'],
          rows: journeys.transitions.map((transition) => [transition.from, transition.to, transition.count, transition.probability, transition.lower, transition.upper]),
        },
      }),
      table(`Chance of reaching "${journeys.goal}"`, ['From state', 'Probability', 'Expected steps'], journeys.toGoal.map((entry) => [entry.state, entry.probability, entry.expectedSteps])),
      table('Top paths', ['Path', 'Journeys', 'Share'], journeys.topPaths.paths.map((path) => [path.label, path.count, path.share])),
    ],
  };
}
