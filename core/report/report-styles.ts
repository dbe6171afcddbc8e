/** The report's stylesheet: system fonts, high-contrast text, visible focus, and a print layout without chrome. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; --accent: #0b57d0; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 2; }
header, main, nav { max-width: 1180px; margin: 0 auto; padding: 0 20px; }
header h1 { margin: 24px 0 4px; font-size: 1.6rem; } header p { margin: 0 0 16px; color: var(--muted); }
nav { border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 28px; margin: 8px 0; padding-left: 0; list-style-position: inside; }
a { color: var(--accent); } a:focus-visible, summary:focus-visible, [tabindex]:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.glance { display: flex; flex-wrap: wrap; gap: 8px 12px; margin: 0 0 16px; }
.glance div { border: 1px solid var(--rule); border-radius: 4px; padding: 6px 12px; min-width: 120px; }
.glance dt { color: var(--muted); font-size: 0.8rem; } .glance dd { margin: 0; font-size: 1.25rem; font-weight: 600; }
section { padding: 8px 0 24px; border-bottom: 1px solid var(--rule); } section h2 { font-size: 1.3rem; margin: 20px 0 8px; }
figure { margin: 16px 0; } figure h3 { font-size: 1.05rem; margin: 0 0 4px; } figcaption { color: var(--muted); margin-bottom: 8px; }
.chart { width: 100%; border: 1px solid var(--rule); border-radius: 4px; }
.table-wrap { overflow-x: auto; max-height: 420px; overflow-y: auto; margin-top: 8px; }
table { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid var(--rule); padding: 3px 8px; text-align: left; vertical-align: top; } td.number { text-align: right; white-space: nowrap; }
thead th { background: #f3f3f3; position: sticky; top: 0; }
details > summary { cursor: pointer; color: var(--accent); margin-top: 6px; }
@media print {
  nav, .skip { display: none; }
  body { font-size: 11px; }
  section { break-before: page; border: 0; } section:first-of-type { break-before: auto; }
  figure { break-inside: avoid; }
  .table-wrap { max-height: none; overflow: visible; }
  thead th { position: static; }
  a { color: inherit; text-decoration: none; }
}
`;
