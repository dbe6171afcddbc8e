/**
 * The report of a 1M-profile run: its size and the time Chromium takes to
 * draw every chart, against the same report at 10k profiles measured in the
 * same run (the ratio is what to read: aggregation keeps it near 1).
 *   npx tsx bench/report/million.ts
 * The profiles are synthetic rows in a scratch DuckDB (features, segments,
 * memberships as a run leaves them); the aggregates and the sample are read
 * with the report's own queries.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { chromium } from 'playwright-core';
import { chartLibrarySource } from '../../cli/commands/report.js';
import { buildReport, readModelAggregates, renderReportHtml } from '../../core/report/index.js';
import { reportFixture } from '../../core/report/report-fixture.test-support.js';

const FEATURES = ['recency_days', 'frequency', 'monetary', 'sessions_per_week', 'engagement_depth'];
const SEGMENTS = 9;
const directory = mkdtempSync(join(tmpdir(), 'segflow-report-bench-'));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });

async function measure(profiles: number): Promise<{ bytes: number; openMs: number }> {
  const instance = await DuckDBInstance.create(join(directory, `${profiles}.duckdb`));
  const duck = await instance.connect();
  await duck.run(`CREATE TABLE features AS SELECT 'p' || i AS profile_id, (i % ${SEGMENTS}) AS cluster,
    random() * 365 AS recency_days, floor(random() * 40) + (i % ${SEGMENTS}) AS frequency, random() * 5000 * (1 + i % ${SEGMENTS}) AS monetary,
    random() * 3 AS sessions_per_week, random() * 12 AS engagement_depth FROM range(${profiles}) t(i)`);
  await duck.run(`CREATE TABLE segments AS SELECT 'behavior-' || (c + 1) AS segment_id, 'Segment ' || (c + 1) AS name, 'behavior' AS segmentation, 'kmeans' AS model FROM range(${SEGMENTS}) t(c)`);
  await duck.run(`CREATE TABLE segment_members AS SELECT 'behavior-' || (cluster + 1) AS segment_id, profile_id FROM features`);
  const names = new Map(Array.from({ length: SEGMENTS }, (_, index) => [`behavior-${index + 1}`, `Segment ${index + 1}`]));
  const read = await readModelAggregates(duck, 'behavior', FEATURES, ['frequency', 'monetary', 'sessions_per_week'], names);
  duck.closeSync();
  instance.closeSync();
  const input = { ...reportFixture({ population: profiles }), profiles: read.grid ? [read.grid] : [], embeddings: read.embedding ? [read.embedding] : [] };
  const html = renderReportHtml(buildReport(input), { chartLibrary: chartLibrarySource() });
  const file = join(directory, `${profiles}.html`);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const url = pathToFileURL(file).href;
  await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  const started = performance.now();
  await page.goto(url);
  await page.waitForFunction(() => {
    const charts = (globalThis as unknown as { document: { querySelectorAll(selector: string): { length: number } } }).document;
    return charts.querySelectorAll('[data-chart]').length === charts.querySelectorAll('[data-chart][data-rendered="true"]').length;
  });
  const openMs = performance.now() - started;
  await page.close();
  return { bytes: Buffer.byteLength(html), openMs };
}

try {
  const baseline = await measure(10_000);
  const million = await measure(1_000_000);
  const kb = (bytes: number) => `${Math.round(bytes / 1024).toLocaleString('en-US')} KB`;
  process.stdout.write(`10k profiles: ${kb(baseline.bytes)}, all charts drawn in ${Math.round(baseline.openMs)} ms\n`);
  process.stdout.write(`1M profiles:  ${kb(million.bytes)}, all charts drawn in ${Math.round(million.openMs)} ms\n`);
  process.stdout.write(`ratio 1M / 10k: size ×${(million.bytes / baseline.bytes).toFixed(3)}, open ×${(million.openMs / baseline.openMs).toFixed(2)} (limits: 5 MB, 3 s)\n`);
} finally {
  await browser.close();
  rmSync(directory, { recursive: true, force: true });
}
