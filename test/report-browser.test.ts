import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../cli/commands/report.js';
import type { RunJobSummary } from '../core/runtime/run-job.js';
import { axeViolations } from './support/axe-audit.js';
import { REPO_ROOT, runMapping, temporaryDirectory, writeMapping } from './support/run-mapping.js';

/**
 * The report of the retail demo (smaller world, with the analyses on and one
 * segment name that tries to inject markup), opened offline in Debian's
 * Chromium: no request leaves the file, nothing fails, every chart draws, and
 * every chart's table holds the numbers `segflow run --json` printed.
 */
const HOSTILE = '<img src=x onerror="window.__injected=1">Lapsed regulars';

/** The slice of the DOM the keyboard test reads (the project's TypeScript has no DOM library). */
interface FocusedDocument { document: { activeElement: { getAttribute(name: string): string | null } | null } }

let browser: Browser;
let page: Page;
let summary: RunJobSummary;
let previous: RunJobSummary;
let html: string;
const failedRequests: string[] = [];
const blockedRequests: string[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  const directory = temporaryDirectory('report-browser');
  const demo = readFileSync(join(REPO_ROOT, 'mappings', 'examples', 'retail.yaml'), 'utf8')
    .replace('users: 5000', 'users: 800')
    .replace('name: Lapsed regulars', `name: '${HOSTILE}'`);
  const mapping = writeMapping(directory, `${demo}
analysis:
  drift:
    features: [frequency, monetary, recency_days]
    baseline_runs: 2
  journeys: {}
  validation: {}
  trends: {}
`, 'retail.yaml');
  const state = join(directory, 'state');
  // What `--json` prints is this object through JSON (NaN becomes null).
  previous = JSON.parse(JSON.stringify(await runMapping(mapping, state))) as RunJobSummary;
  summary = JSON.parse(JSON.stringify(await runMapping(mapping, state))) as RunJobSummary;
  const out = join(directory, 'report.html');
  expect(await reportCommand({ file: mapping, state, out })).toBe(0);
  html = readFileSync(out, 'utf8');

  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const url = pathToFileURL(out).href;
  await page.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    blockedRequests.push(route.request().url());
    return route.abort();
  });
  page.on('requestfailed', (request) => failedRequests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(url, { waitUntil: 'load' });
}, 150_000);

afterAll(async () => {
  await browser.close();
});

/** The raw numbers (data-value) and texts of the table beside a chart, row by row. */
async function chartTable(chartId: string): Promise<Array<Array<number | string | null>>> {
  return page.$$eval(`table[data-table-for="${chartId}"] tbody tr`, (rows) => rows.map((row) => [...row.children].map((cell) => {
    const value = cell.getAttribute('data-value');
    return value === null ? (cell.textContent ?? '') : value === '' ? null : Number(value);
  })));
}

describe('the report of the retail demo in Chromium', () => {
  it('opens offline: nothing requested beyond the file, nothing failed, no console error', () => {
    expect(blockedRequests).toEqual([]);
    expect(failedRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(Buffer.byteLength(html)).toBeLessThan(5 * 1024 * 1024);
  });

  it('draws every chart: an SVG with real content in each', async () => {
    const charts = await page.$$eval('[data-chart]', (elements) => elements.map((element) => ({
      id: element.getAttribute('data-chart'),
      rendered: element.getAttribute('data-rendered'),
      shapes: element.querySelectorAll('svg path, svg rect, svg text').length,
    })));
    expect(charts.map((chart) => chart.id)).toEqual(expect.arrayContaining([
      'run-reconciliation', 'segment-sizes', 'k-elbow-behavior', 'k-scores-behavior', 'profiles-behavior', 'embedding-behavior',
      'migration-behavior', 'journey-funnel', 'journey-sankey', 'journey-transitions', 'trend-stl', 'drift-psi', 'monthly-migration', 'sync-outcomes', 'sync-calls',
    ]));
    for (const chart of charts) {
      expect(chart.rendered, chart.id ?? '').toBe('true');
      expect(chart.shapes, chart.id ?? '').toBeGreaterThan(10);
    }
  });

  it('shows a hostile segment name as text and runs none of it', async () => {
    expect(await page.evaluate(() => (globalThis as unknown as { __injected?: number }).__injected)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    const sizes = await chartTable('segment-sizes');
    expect(sizes.map((row) => row[2])).toContain(HOSTILE);
  });

  it('holds the run summary\'s numbers in the tables of the run, segment and k-selection charts', async () => {
    const { events } = summary;
    expect(await chartTable('run-reconciliation')).toEqual([
      ['read', events.read], ['accepted', events.accepted], ['quarantined', events.quarantined],
      ['duplicates', events.duplicates], ['stored this run', events.stored],
    ]);
    const sizes = await chartTable('segment-sizes');
    expect(new Map(sizes.map((row) => [row[1], row[3]]))).toEqual(new Map(summary.segments.map((segment) => [segment.id, segment.size])));
    const model = summary.models.find((entry) => entry.id === 'behavior');
    expect((await chartTable('k-elbow-behavior')).map((row) => row.slice(0, 5))).toEqual(
      (model?.kTable ?? []).map((row) => [row.k, row.inertia, row.silhouette, row.calinskiHarabasz, row.daviesBouldin]));
    expect((await chartTable('k-elbow-behavior')).filter((row) => row[5] === 'chosen').map((row) => row[0])).toEqual([model?.metrics.k]);
  });

  it('agrees with the segments\' reasons in the profile heatmap, and samples the embedding', async () => {
    const model = summary.models.find((entry) => entry.id === 'behavior');
    const heatmap = await chartTable('profiles-behavior');
    const headers = await page.$$eval('table[data-table-for="profiles-behavior"] thead th', (cells) => cells.map((cell) => cell.textContent ?? ''));
    for (const segment of model?.segments ?? []) {
      const column = headers.findIndex((header) => header.endsWith(`(${segment.id})`));
      const zs = heatmap.map((row) => Math.round(Number(row[column]) * 10) / 10);
      // Each σ the reason quotes is one of the segment's z-scores, to the reason's precision.
      for (const quoted of segment.reason.matchAll(/([+-]\d+\.\d)σ/g)) expect(zs).toContain(Number(quoted[1]));
    }
    const sampled = await chartTable('embedding-behavior');
    expect(sampled.reduce((total, row) => total + Number(row[2]), 0)).toBe(Math.min(2_000, model?.audience ?? 0));
  });

  it('shows who moved where: the Sankey\'s table adds up to both runs\' segment sizes', async () => {
    const rows = await chartTable('migration-behavior');
    const total = (key: 0 | 1, id: string) => rows.filter((row) => row[key] === id).reduce((sum, row) => sum + Number(row[2]), 0);
    for (const segment of summary.models.find((entry) => entry.id === 'behavior')?.segments ?? []) expect(total(1, segment.id)).toBe(segment.size);
    for (const segment of previous.models.find((entry) => entry.id === 'behavior')?.segments ?? []) expect(total(0, segment.id)).toBe(segment.size);
  });

  it('holds the analyses\' numbers: funnel, transitions, revenue components, PSI', async () => {
    const analysis = summary.analysis;
    expect((await chartTable('journey-funnel')).map((row) => [row[0], row[1], row[4]])).toEqual(
      (analysis?.journeys?.funnel.steps ?? []).map((step) => [step.name, step.reached, step.dropOff]));
    expect((await chartTable('journey-transitions')).map((row) => row.slice(0, 4))).toEqual(
      (analysis?.journeys?.transitions ?? []).map((transition) => [transition.from, transition.to, transition.count, transition.probability]));
    const stl = await chartTable('trend-stl');
    expect(stl.map((row) => row[2])).toEqual(analysis?.trends?.series.trend);
    expect((await chartTable('drift-psi')).map((row) => [row[0], row[1]])).toEqual((analysis?.drift?.features ?? []).map((feature) => [feature.feature, feature.psi]));
    const migration = analysis?.segmentMigration;
    expect(migration?.steps.length).toBeGreaterThan(0);
    expect((await chartTable('monthly-migration')).map((row) => row[2])).toEqual(migration?.overall.counts.flat());
  });

  it('holds each sink\'s outcomes and calls', async () => {
    const sinks = summary.sync ?? [];
    expect(await chartTable('sync-outcomes')).toEqual(sinks.map((sink) => [sink.sinkId, sink.execution?.applied, sink.execution?.skipped, sink.execution?.deadLettered, sink.execution?.throttled, sink.execution?.failed, sink.execution?.blocked]));
    expect((await chartTable('sync-calls')).map((row) => row.slice(0, 3))).toEqual(sinks.map((sink) => [sink.sinkId, sink.calls, sink.minimumCalls]));
  });

  it('can be read with the keyboard: after the skip link, the contents, which link to every section', async () => {
    const targets = await page.$$eval('nav a', (links) => links.map((link) => link.getAttribute('href')));
    const sections = await page.$$eval('main > section', (elements) => elements.map((element) => `#${element.id}`));
    expect(targets).toEqual(sections);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as FocusedDocument).document.activeElement?.getAttribute('href'))).toBe('#run');
  });

  it('prints to PDF: charts keep their size, tables show every row, the contents are left out', async () => {
    await page.emulateMedia({ media: 'print' });
    try {
      const layout = await page.evaluate(() => {
        interface Box { getBoundingClientRect(): { height: number }; scrollHeight: number; clientHeight: number }
        const doc = (globalThis as unknown as { document: { querySelectorAll(selector: string): ArrayLike<Box>; querySelector(selector: string): Box | null } }).document;
        const charts = Array.from(doc.querySelectorAll('[data-chart]'), (element) => element.getBoundingClientRect().height);
        // A table cut by its scroll box on screen must show all of itself on paper.
        const clipped = Array.from(doc.querySelectorAll('.table-wrap')).filter((element) => element.scrollHeight > element.clientHeight + 1).length;
        const nav = doc.querySelector('nav');
        return { charts, clipped, navHeight: nav === null ? 0 : nav.getBoundingClientRect().height };
      });
      expect(layout.charts.length).toBeGreaterThanOrEqual(15);
      for (const height of layout.charts) expect(height).toBeGreaterThan(100);
      expect(layout.clipped).toBe(0);
      expect(layout.navHeight).toBe(0);
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      // One page per section at least (each section starts a page).
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      expect(pages).toBeGreaterThanOrEqual(await page.locator('main > section').count());
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });

  it('breaks none of axe-core\'s WCAG 2.1 A and AA rules', async () => {
    expect(await axeViolations(page)).toEqual([]);
  });

  it('carries no email address and no profile id, though the summary has both', () => {
    expect(JSON.stringify(summary.sync)).toMatch(/u:user-\d+/);
    expect(html).not.toMatch(/[\w.+-]+@example\.com/);
    expect(html).not.toMatch(/u:user-\d+/);
  });
});
