import type { ReportInput } from './report-input.js';
import { chart, text, type Block, type SectionView } from './report-view.js';

/** Why k: inertia against k (the elbow) and the separation scores, the chosen k marked with the model's reason. */
export function kSelectionSection(input: ReportInput): SectionView | undefined {
  const models = input.run.summary.models.filter((model) => (model.kTable?.length ?? 0) > 0);
  if (models.length === 0) return undefined;
  const blocks: Block[] = [];
  for (const model of models) {
    const rows = model.kTable ?? [];
    const chosen = model.metrics.k;
    const ks = rows.map((row) => String(row.k));
    const marked = chosen === undefined ? {} : {
      markLine: { symbol: 'none', label: { formatter: `chosen k = ${chosen}` }, lineStyle: { type: 'dashed' }, data: [{ xAxis: String(chosen) }] },
    };
    blocks.push(text(`${model.id}: ${model.notes[0] ?? `k = ${chosen ?? 'not chosen'}`}`));
    blocks.push(chart({
      id: `k-elbow-${model.id}`, title: `${model.id}: inertia against k (elbow)`,
      summary: `Line chart of within-cluster inertia for k = ${ks[0]} to ${ks.at(-1)}; the chosen k${chosen === undefined ? '' : ` (${chosen})`} is marked by a dashed line.`,
      option: {
        grid: { containLabel: true, left: 8, right: 24, top: 36, bottom: 8 }, tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', name: 'k', data: ks }, yAxis: { type: 'value', name: 'inertia' },
        series: [{ type: 'line', name: 'inertia', data: rows.map((row) => row.inertia), symbol: 'circle', symbolSize: 8, ...marked }],
      },
      table: {
        caption: `${model.id}: k selection`, columns: ['k', 'Inertia', 'Silhouette', 'Calinski–Harabasz', 'Davies–Bouldin', 'Chosen'],
        rows: rows.map((row) => [row.k, row.inertia, row.silhouette, row.calinskiHarabasz, row.daviesBouldin, row.k === chosen ? 'chosen' : '']),
      },
    }));
    blocks.push(chart({
      id: `k-scores-${model.id}`, title: `${model.id}: separation scores against k`,
      summary: 'Line chart: silhouette (higher is better, solid line, circles) and Davies–Bouldin (lower is better, dashed line, triangles) on the left axis; Calinski–Harabasz (higher is better, dotted line, squares) on the right axis.',
      option: {
        grid: { containLabel: true, left: 8, right: 8, top: 48, bottom: 8 }, tooltip: { trigger: 'axis' }, legend: { top: 0 },
        xAxis: { type: 'category', name: 'k', data: ks },
        yAxis: [{ type: 'value', name: 'silhouette, DB' }, { type: 'value', name: 'CH', splitLine: { show: false } }],
        series: [
          { type: 'line', name: 'silhouette', data: rows.map((row) => row.silhouette), symbol: 'circle', symbolSize: 8, ...marked },
          { type: 'line', name: 'Davies–Bouldin', data: rows.map((row) => row.daviesBouldin), symbol: 'triangle', symbolSize: 9, lineStyle: { type: 'dashed' } },
          { type: 'line', name: 'Calinski–Harabasz', yAxisIndex: 1, data: rows.map((row) => row.calinskiHarabasz), symbol: 'rect', symbolSize: 8, lineStyle: { type: 'dotted' } },
        ],
      },
      table: {
        caption: `${model.id}: separation scores`, columns: ['k', 'Silhouette', 'Davies–Bouldin', 'Calinski–Harabasz'],
        rows: rows.map((row) => [row.k, row.silhouette, row.daviesBouldin, row.calinskiHarabasz]),
      },
    }));
  }
  return { id: 'k-selection', title: 'k selection', blocks };
}
