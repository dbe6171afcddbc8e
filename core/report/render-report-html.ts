import { escapeHtml, inlineScript, scriptJson } from './html-escape.js';
import { REPORT_CLIENT_SCRIPT } from './report-client.js';
import { REPORT_CSS } from './report-styles.js';
import { liveClientScript, livePanelHtml, type LiveOptions } from './live-panel.js';
import type { Block, Cell, ChartView, ReportView, TableView } from './report-view.js';

/** Tables longer than this start folded (a `<details>` a keyboard opens); shorter ones are shown open. */
const OPEN_TABLE_ROWS = 25;

export interface RenderOptions {
  /** The charting library's source (Apache ECharts' minified dist), inlined: the file opens with no network. */
  chartLibrary: string;
  /** The dashboard: a live panel on top, refreshed from this same-origin endpoint (the page then may connect to its own origin). */
  live?: LiveOptions;
}

/** One self-contained HTML document: styles, data and scripts inline, every user string escaped. */
export function renderReportHtml(report: ReportView, options: RenderOptions): string {
  const charts: Record<string, Record<string, unknown>> = {};
  for (const section of report.sections) for (const block of section.blocks) if (block.kind === 'chart') charts[block.id] = block.option;
  const toc = (options.live ? '<li><a href="#live">Live</a></li>' : '') + report.sections.map((section) => `<li><a href="#${escapeHtml(section.id)}">${escapeHtml(section.title)}</a></li>`).join('');
  const body = report.sections.map((section) => `<section id="${escapeHtml(section.id)}" aria-labelledby="${escapeHtml(section.id)}-heading">
<h2 id="${escapeHtml(section.id)}-heading" tabindex="-1">${escapeHtml(section.title)}</h2>
${section.blocks.map(renderBlock).join('\n')}
</section>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:${options.live ? "; connect-src 'self'" : ''}">
<title>${escapeHtml(report.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<a class="skip" href="#content">Skip to the report</a>
<header><h1>${escapeHtml(report.title)}</h1><p>${escapeHtml(report.subtitle)}</p>
<dl class="glance">${report.highlights.map((item) => `<div><dt>${escapeHtml(item.label)}</dt><dd>${escapeHtml(item.value)}</dd></div>`).join('')}</dl></header>
<nav aria-label="Contents"><ol>${toc}</ol></nav>
<main id="content">
${options.live ? livePanelHtml(options.live) : ''}
${body}
</main>
<script type="application/json" id="report-data">${scriptJson({ charts })}</script>
<script>${inlineScript(options.chartLibrary)}</script>
<script>${inlineScript(REPORT_CLIENT_SCRIPT)}</script>
${options.live ? `<script>${inlineScript(liveClientScript(options.live))}</script>` : ''}
</body>
</html>
`;
}

function renderBlock(block: Block): string {
  if (block.kind === 'text') return block.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n');
  if (block.kind === 'table') return renderTable(block.table, undefined);
  return renderChart(block);
}

function renderChart(view: ChartView): string {
  const id = escapeHtml(view.id);
  return `<figure id="${id}" aria-labelledby="${id}-title">
<h3 id="${id}-title">${escapeHtml(view.title)}</h3>
<figcaption>${escapeHtml(view.summary)} The table below holds the same numbers.</figcaption>
<div class="chart" role="img" aria-label="${escapeHtml(view.summary)}" data-chart="${id}" style="height:${view.height ?? 360}px"></div>
${renderTable(view.table, id)}
</figure>`;
}

function renderTable(view: TableView, chartId: string | undefined): string {
  const head = `<thead><tr>${view.columns.map((column) => `<th scope="col">${escapeHtml(column)}</th>`).join('')}</tr></thead>`;
  const rows = view.rows.map((row) => `<tr>${row.map((cell, index) => renderCell(cell, index === 0)).join('')}</tr>`).join('\n');
  const table = `<div class="table-wrap" tabindex="0" role="region" aria-label="${escapeHtml(view.caption)}"><table${chartId ? ` data-table-for="${chartId}"` : ''}><caption>${escapeHtml(view.caption)}</caption>${head}<tbody>${rows}</tbody></table></div>`;
  return view.rows.length > OPEN_TABLE_ROWS
    ? `<details><summary>${escapeHtml(view.caption)}: ${view.rows.length.toLocaleString('en-US')} rows</summary>${table}</details>`
    : table;
}

/** Numbers carry their raw value in data-value (what the tests compare); the text is rounded for reading. */
function renderCell(cell: Cell, header: boolean): string {
  const tag = header ? 'th scope="row"' : 'td';
  const close = header ? 'th' : 'td';
  if (cell === null) return `<${tag} data-value="">—</${close}>`;
  if (typeof cell === 'string') return `<${tag}>${escapeHtml(cell)}</${close}>`;
  const shown = Number.isFinite(cell) ? (Number.isInteger(cell) ? cell.toLocaleString('en-US') : cell.toLocaleString('en-US', { maximumSignificantDigits: 4 })) : String(cell);
  return `<${tag} class="number" data-value="${String(cell)}">${shown}</${close}>`;
}
