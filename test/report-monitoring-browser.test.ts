import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartLibrarySource } from '../cli/commands/report.js';
import { cusumChart, ewmaChart, monitorSegmentKpis } from '../core/analysis/drift/index.js';
import type { ExperimentReport } from '../core/analysis/experiment-report.js';
import { experimentUplift, type MemberOutcome } from '../core/analysis/experiments/experiment-uplift.js';
import { createRng } from '../core/random/rng.js';
import { buildReport, renderReportHtml } from '../core/report/index.js';
import { reportFixture } from '../core/report/report-fixture.test-support.js';
import { axeViolations } from './support/axe-audit.js';
import { temporaryDirectory } from './support/run-mapping.js';

/**
 * The report's monitoring and experiment charts in Chromium, on a run
 * history long enough to chart (the retail browser test has two runs, too
 * few for a baseline): segment shares with EWMA and CUSUM after a baseline,
 * one segment shifting and one holding still, and an A/B holdout with its
 * uplift. The monitor's and the uplift's own results go in; the charts must
 * draw, and their tables must say what the monitor decided.
 */
const RUNS = 10;
const BASELINE = 5;
const POPULATION = 2_000;
// Shares of behavior-1 (shifts after the baseline) and behavior-2 (holds still), run by run.
const SHIFTING = [0.50, 0.51, 0.49, 0.50, 0.505, 0.60, 0.62, 0.61, 0.63, 0.62];
const STEADY = [0.30, 0.31, 0.29, 0.305, 0.295, 0.30, 0.31, 0.295, 0.30, 0.305];

let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

function experiment(): ExperimentReport {
  const random = createRng(7);
  const members: MemberOutcome[] = Array.from({ length: 1_200 }, (_, index) => {
    const arm = index % 5 === 0 ? 'holdout' : 'treatment';
    const converted = random.next() < (arm === 'treatment' ? 0.22 : 0.15);
    return { arm, convertedAfterDays: converted ? random.next() * 14 : null, revenue: converted ? 20 + random.next() * 80 : 0 };
  });
  return {
    id: 'winback-q4', segment: 'behavior-2', segmentIds: ['behavior-2'], start: '2026-08-01', window: '14d', conversionEvent: 'Order Completed',
    holdoutShare: 0.2, covariate: null, status: 'measured', members: { treatment: 960, holdout: 240 }, daysObserved: 14, windowDays: 14, complete: true,
    uplift: experimentUplift(members, { holdoutShare: 0.2, daysObserved: 14, seed: 1 }),
  };
}

const input = reportFixture({ population: POPULATION });
input.history = SHIFTING.map((share, index) => ({
  runId: `run-${index + 1}`, profiles: POPULATION,
  segments: [{ id: 'behavior-1', size: Math.round(share * POPULATION) }, { id: 'behavior-2', size: Math.round((STEADY[index] ?? 0) * POPULATION) }],
}));
const shares = (id: string) => input.history.map((run) => (run.segments.find((segment) => segment.id === id)?.size ?? 0) / run.profiles);
const statuses = monitorSegmentKpis({ 'behavior-1': shares('behavior-1'), 'behavior-2': shares('behavior-2') }, { baselineRuns: BASELINE });
const measured = experiment();
input.run.summary.analysis = { segmentShares: statuses, experiments: [measured] } as NonNullable<typeof input.run.summary.analysis>;

beforeAll(async () => {
  const file = join(temporaryDirectory('report-monitoring'), 'report.html');
  writeFileSync(file, renderReportHtml(buildReport(input), { chartLibrary: chartLibrarySource() }));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

async function chartTable(chartId: string): Promise<Array<Array<number | string | null>>> {
  return page.$$eval(`table[data-table-for="${chartId}"] tbody tr`, (rows) => rows.map((row) => [...row.children].map((cell) => {
    const value = cell.getAttribute('data-value');
    return value === null ? (cell.textContent ?? '') : value === '' ? null : Number(value);
  })));
}

async function drawn(chartId: string): Promise<{ rendered: string | null; shapes: number }> {
  return page.$eval(`[data-chart="${chartId}"]`, (element) => ({
    rendered: element.getAttribute('data-rendered'), shapes: element.querySelectorAll('svg path, svg rect, svg text').length,
  }));
}

describe('the report\'s monitoring and experiment charts in Chromium', () => {
  it('draws the share charts and the uplift chart, with no console error', async () => {
    for (const id of ['share-behavior-1', 'share-behavior-2', 'experiments-conversion']) {
      const chart = await drawn(id);
      expect(chart.rendered, id).toBe('true');
      expect(chart.shapes, id).toBeGreaterThan(10);
    }
    expect(consoleErrors).toEqual([]);
  });

  it('charts EWMA and CUSUM from the run after the baseline, with the monitor\'s limits', async () => {
    for (const segment of ['behavior-1', 'behavior-2']) {
      const status = statuses.find((entry) => entry.segment === segment);
      if (status?.status !== 'monitored') throw new Error(`${segment} is not monitored`);
      const rows = await chartTable(`share-${segment}`);
      expect(rows.map((row) => row[1])).toEqual([...Array<string>(BASELINE).fill('baseline'), ...Array<string>(RUNS - BASELINE).fill('monitored')]);
      // Over the baseline only the share is shown: no statistic judges a run that set the limits.
      for (const row of rows.slice(0, BASELINE)) expect(row.slice(3)).toEqual([null, null, null, null, null, null]);
      const phaseTwo = shares(segment).slice(BASELINE);
      const ewma = ewmaChart(phaseTwo, { mean: status.mean, sigma: status.sigma });
      const cusum = cusumChart(phaseTwo, { mean: status.mean, sigma: status.sigma });
      expect(rows.slice(BASELINE).map((row) => row.slice(2, 9))).toEqual(phaseTwo.map((share, index) => [
        share, ewma.statistic[index], ewma.lower[index], ewma.upper[index], cusum.upper[index], cusum.lower[index], cusum.threshold]));
    }
  });

  it('says what the monitor decided: the shifted segment in alarm, the steady one in control', async () => {
    const table = await page.$$eval('table', (tables) => {
      const found = tables.find((element) => element.querySelector('caption')?.textContent === 'Segment share monitoring');
      return [...(found?.querySelectorAll('tbody tr') ?? [])].map((row) => [...row.children].map((cell) => cell.textContent?.trim() ?? ''));
    });
    expect(table.map((row) => [row[0], row[5]])).toEqual([['behavior-1', 'alarm'], ['behavior-2', 'in control']]);
    expect(statuses.map((status) => status.status === 'monitored' && status.alarm)).toEqual([true, false]);
  });

  it('holds the uplift\'s numbers beside its chart', async () => {
    const uplift = measured.uplift!;
    expect(await chartTable('experiments-conversion')).toEqual([[
      'winback-q4', 'behavior-2', 960, 240,
      uplift.conversion.difference, uplift.conversion.newcombe.low, uplift.conversion.newcombe.high, uplift.conversion.p,
      uplift.revenue.welch.difference, uplift.revenue.welch.low, uplift.revenue.welch.high, uplift.revenue.welch.p,
    ]]);
    expect(uplift.conversion.newcombe.low).toBeGreaterThan(0);
  });

  it('breaks none of axe-core\'s WCAG 2.1 A and AA rules', async () => {
    expect(await axeViolations(page)).toEqual([]);
  });
});
