/**
 * The report as data: sections of blocks, each chart paired with the table
 * that holds its numbers. Builders (`*-section.ts`) turn a run into these;
 * `render-report-html.ts` turns them into one HTML file, and a server route
 * can render the same sections into a dashboard page later.
 */

/** A table cell: numbers keep their raw value (the tests and screen readers read it), text is user text. */
export type Cell = number | string | null;

export interface TableView {
  caption: string;
  columns: string[];
  rows: Cell[][];
}

export interface ChartView {
  kind: 'chart';
  /** Unique in the report, kebab-case: the chart's anchor and element id. */
  id: string;
  title: string;
  /** What the chart shows, in words: the chart's accessible name. */
  summary: string;
  /** An Apache ECharts option, plain JSON (no functions: it is inlined as data). */
  option: Record<string, unknown>;
  /** The same numbers as the chart. */
  table: TableView;
  /** Taller charts (heatmaps with many rows). @default 360 */
  height?: number;
}

export interface TableBlock {
  kind: 'table';
  table: TableView;
}

export interface TextBlock {
  kind: 'text';
  /** Plain text paragraphs (escaped when rendered). */
  paragraphs: string[];
}

export type Block = ChartView | TableBlock | TextBlock;

export interface SectionView {
  /** Anchor id, kebab-case. */
  id: string;
  title: string;
  blocks: Block[];
}

export interface ReportView {
  title: string;
  /** Shown under the title: mapping, run id, as-of date. */
  subtitle: string;
  /** Key figures at the top: label and display value. */
  highlights: Array<{ label: string; value: string }>;
  sections: SectionView[];
}

export function chart(view: Omit<ChartView, 'kind'>): ChartView {
  return { kind: 'chart', ...view };
}

export function table(caption: string, columns: string[], rows: Cell[][]): TableBlock {
  return { kind: 'table', table: { caption, columns, rows } };
}

export function text(...paragraphs: string[]): TextBlock {
  return { kind: 'text', paragraphs };
}

/** Rounds for display in charts (tables keep the raw value). */
export function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
