import type { ReportInput } from './report-input.js';
import { chart, round, text, type Block, type Cell, type SectionView } from './report-view.js';

/** Cluster profiles: each feature's mean z-score per segment, as a heatmap with the values written in the cells. */
export function profilesSection(input: ReportInput): SectionView | undefined {
  if (input.profiles.length === 0) return undefined;
  const blocks: Block[] = [text('Each cell is how far the segment\'s mean sits from the audience\'s mean, in standard deviations (z), on the scale the model saw (log1p where the mapping says so). Positive: above the audience; negative: below.')];
  for (const grid of input.profiles) {
    const data: Array<[number, number, number | null]> = [];
    grid.segments.forEach((segment, column) => grid.features.forEach((_, row) => {
      const z = segment.z[row] ?? null;
      data.push([column, row, z === null ? null : round(z, 2)]);
    }));
    const rows: Cell[][] = grid.features.map((feature, row) => [feature, ...grid.segments.map((segment) => segment.z[row] ?? null)]);
    blocks.push(chart({
      id: `profiles-${grid.segmentation}`, title: `${grid.segmentation}: features × segments (z-score)`,
      summary: `Heatmap of ${grid.features.length} features by ${grid.segments.length} segments; each cell is labelled with its z-score.`,
      option: {
        grid: { containLabel: true, left: 8, right: 8, top: 16, bottom: 72 },
        tooltip: { position: 'top' },
        xAxis: { type: 'category', data: grid.segments.map((segment) => segment.name), axisLabel: { interval: 0, rotate: 30, width: 120, overflow: 'truncate' }, splitArea: { show: true } },
        yAxis: { type: 'category', data: grid.features, inverse: true, splitArea: { show: true } },
        visualMap: { type: 'continuous', min: -2, max: 2, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#2166ac', '#f7f7f7', '#b2182b'] }, text: ['above (+z)', 'below (−z)'] },
        series: [{ type: 'heatmap', name: 'z-score', data, label: { show: true }, emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } } }],
      },
      table: { caption: `${grid.segmentation}: mean z-score per feature and segment`, columns: ['Feature', ...grid.segments.map((segment) => `${segment.name} (${segment.id})`)], rows },
      height: Math.max(320, 34 * grid.features.length + 140),
    }));
    blocks.push({ kind: 'table', table: {
      caption: `${grid.segmentation}: mean per feature and segment, in the feature's units`,
      columns: ['Feature', ...grid.segments.map((segment) => `${segment.name} (${segment.id})`)],
      rows: grid.features.map((feature, row) => [feature, ...grid.segments.map((segment) => segment.means[row] ?? null)]),
    } });
  }
  return { id: 'profiles', title: 'Cluster profiles', blocks };
}

/** Symbols per segment, so the scatter reads without colour. */
const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'pin', 'arrow', 'roundRect'];

/** Anomalies: a 2-D PCA embedding of a sample of the model's input, coloured and shaped by segment, outliers marked. */
export function anomaliesSection(input: ReportInput): SectionView | undefined {
  if (input.embeddings.length === 0) return undefined;
  const blocks: Block[] = [];
  for (const embedding of input.embeddings) {
    const series: Array<Record<string, unknown>> = embedding.segments.map((segment, index) => ({
      type: 'scatter', name: segment.name, symbol: SYMBOLS[index % SYMBOLS.length], symbolSize: 6, large: true,
      data: embedding.points.filter((point) => point[2] === index && point[3] === 0).map((point) => [point[0], point[1]]),
    }));
    const outliers = embedding.points.filter((point) => point[3] === 1);
    series.push({ type: 'scatter', name: 'outlier', symbol: 'emptyCircle', symbolSize: 14, itemStyle: { color: '#000', borderWidth: 2 }, data: outliers.map((point) => [point[0], point[1]]) });
    const counts = embedding.segments.map((segment, index) => {
      const members = embedding.points.filter((point) => point[2] === index);
      return [segment.name, segment.id, members.length, members.filter((point) => point[3] === 1).length] as Cell[];
    });
    blocks.push(text(`${embedding.segmentation}: ${embedding.sampled.toLocaleString('en-US')} of ${embedding.population.toLocaleString('en-US')} profiles drawn at random, projected on the first two principal components (${(embedding.explained[0] * 100).toFixed(1)}% and ${(embedding.explained[1] * 100).toFixed(1)}% of the variance). Outliers: ${embedding.outlierRule}.`));
    blocks.push(chart({
      id: `embedding-${embedding.segmentation}`, title: `${embedding.segmentation}: 2-D embedding (PCA)`,
      summary: `Scatter plot of ${embedding.sampled} sampled profiles; each segment has its own marker shape, outliers are ringed in black.`,
      option: {
        grid: { containLabel: true, left: 8, right: 8, top: 56, bottom: 8 }, legend: { top: 0, type: 'scroll' }, tooltip: { trigger: 'item' },
        xAxis: { type: 'value', name: 'PC1', scale: true }, yAxis: { type: 'value', name: 'PC2', scale: true }, series,
      },
      table: { caption: `${embedding.segmentation}: sampled profiles per segment`, columns: ['Segment', 'Segment id', 'Sampled', 'Outliers'], rows: counts },
      height: 440,
    }));
  }
  return { id: 'anomalies', title: 'Anomalies', blocks };
}
