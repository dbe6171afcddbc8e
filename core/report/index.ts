export { buildReport } from './build-report.js';
export { renderReportHtml, type RenderOptions } from './render-report-html.js';
export { readReportInput, readModelAggregates, EMBEDDING_SAMPLE } from './read-report-input.js';
export { escapeHtml, scriptJson } from './html-escape.js';
export type { ReportInput, ClusterProfileGrid, Embedding, Migration } from './report-input.js';
export type { ReportView, SectionView, Block, ChartView, TableView, Cell } from './report-view.js';
