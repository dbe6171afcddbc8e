import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { reportFixture } from './report-fixture.test-support.js';
import { renderReportHtml } from './render-report-html.js';

const LIBRARY = 'window.echarts = { init: function () {} };';

function render(options: Parameters<typeof reportFixture>[0] = {}): string {
  return renderReportHtml(buildReport(reportFixture(options)), { chartLibrary: LIBRARY });
}

/** The raw numbers of the table beside a chart, row by row (what a reader of the table sees, unrounded). */
function tableNumbers(html: string, chartId: string): Array<Array<number | string | null>> {
  const table = new RegExp(`<table data-table-for="${chartId}">([\\s\\S]*?)</table>`).exec(html)?.[1];
  if (table === undefined) throw new Error(`no table for chart ${chartId}`);
  const body = /<tbody>([\s\S]*)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] as string).matchAll(/<t[hd][^>]*?(?: data-value="([^"]*)")?>([\s\S]*?)<\/t[hd]>/g)].map((cell) => (cell[1] === undefined ? cell[2] as string : cell[1] === '' ? null : Number(cell[1]))));
}

describe('the report HTML', () => {
  it('turns a segment name into text, never into markup or script', () => {
    const hostile = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
    const html = render({ segmentName: hostile });
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert(1)');
    // Three scripts of ours (data, library, client) and no other.
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
    // The chart data keeps the name as it is, for the chart to draw as text.
    const data = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(JSON.stringify(JSON.parse(data))).toContain(JSON.stringify(hostile).slice(1, -1));
  });

  it('leaves out the keys, emails and trait values the summary carries', () => {
    const html = render();
    expect(html).not.toContain('alice');
    expect(html).not.toContain('@example.com');
    expect(html).not.toContain('555 0100');
    expect(html).toContain('INVALID_EMAIL');
  });

  it('puts the same numbers in each chart\'s table as the run summary', () => {
    const input = reportFixture();
    const html = render();
    expect(tableNumbers(html, 'segment-sizes').map((row) => [row[1], row[3]])).toEqual(
      [...input.run.summary.segments].sort((a, b) => a.segmentation.localeCompare(b.segmentation) || b.size - a.size).map((segment) => [segment.id, segment.size]));
    expect(tableNumbers(html, 'k-elbow-behavior').map((row) => row.slice(0, 5))).toEqual(
      (input.run.summary.models[0]?.kTable ?? []).map((row) => [row.k, row.inertia, row.silhouette, row.calinskiHarabasz, row.daviesBouldin]));
    expect(tableNumbers(html, 'sync-outcomes')).toEqual([['hubspot', 1_780, 3, 7, 1, 0, 0]]);
    expect(tableNumbers(html, 'sync-calls')).toEqual([['hubspot', 24, 20, 2]]);
    expect(tableNumbers(html, 'migration-behavior')).toEqual([
      ['behavior-1', 'behavior-1', 1_000], ['behavior-1', 'behavior-2', 100], ['behavior-2', 'behavior-1', 150], ['behavior-2', 'behavior-2', 650],
      ['(new)', 'behavior-1', 50], ['(new)', 'behavior-2', 50],
    ]);
    expect(tableNumbers(html, 'profiles-behavior')).toEqual([['frequency', 1.2, -0.8], ['monetary', 0.9, null]]);
  });

  it('has a table of contents whose links reach every section heading', () => {
    const html = render();
    const links = [...html.matchAll(/<li><a href="#([^"]+)">/g)].map((match) => match[1]);
    const sections = [...html.matchAll(/<section id="([^"]+)"/g)].map((match) => match[1]);
    expect(links).toEqual(sections);
    expect(sections).toEqual(['run', 'segments', 'k-selection', 'profiles', 'anomalies', 'migration', 'sync']);
  });

  it('stays the same size whatever the audience: the embedding is a sample', () => {
    const small = render({ population: 2_000 });
    const large = render({ population: 1_000_000 });
    expect(Math.abs(large.length - small.length)).toBeLessThan(200);
  });
});
