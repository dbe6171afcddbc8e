import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../core/pipeline/run-pipeline.js';
import { queryState, REPO_ROOT, runMapping, SHARED_DATASETS, temporaryDirectory } from './support/run-mapping.js';

/**
 * segflow vs pandas on the UCI Online Retail log. The oracle is
 * test/oracles/online_retail_rfm.py (Debian python3-pandas 1.5.3); its numbers
 * are committed in test/fixtures/online-retail/. Tolerances: counts, scores
 * and cells must be equal; money within 1e-6 relative (float summation order).
 */
const DATASET = join(SHARED_DATASETS, 'online-retail', 'online_retail.csv.gz');
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'online-retail');
const present = existsSync(DATASET);

interface Oracle {
  customers: number;
  invoices: number;
  revenue: number;
  snapshot: string;
  rows: { raw: number; no_customer: number; cancellation: number; non_positive_quantity: number; non_positive_price: number; kept: number };
  cancellations_with_customer: { rows: number; invoices: number };
  medians: { recency_days: number; frequency: number; monetary: number };
  rfm_cells: Record<string, number>;
  segments: Record<string, number>;
}

describe.skipIf(!present)(`online retail: segflow equals pandas (skipped when ${DATASET} is absent)`, () => {
  const oracle = JSON.parse(readFileSync(join(FIXTURES, 'rfm-oracle.json'), 'utf8')) as Oracle;
  const stateDir = temporaryDirectory('retail');
  let summary: RunSummary;

  beforeAll(async () => {
    summary = await runMapping(join(REPO_ROOT, 'mappings', 'examples', 'online-retail.yaml'), stateDir);
  });

  it('accounts for every row: read = accepted + quarantined + duplicates', () => {
    const { events } = summary;
    expect(events.read).toBe(oracle.rows.raw);
    expect(events.read).toBe(events.accepted + events.quarantined + events.duplicates);
    // pandas drops no-customer rows, then zero prices; cancellations become refunds (accepted).
    expect(events.quarantined).toBe(oracle.rows.no_customer + oracle.rows.non_positive_quantity + oracle.rows.non_positive_price);
    expect(events.duplicates).toBe(0);
  });

  it('has the same customers, invoices, revenue and snapshot', async () => {
    const [row] = await queryState(stateDir, `
      SELECT count(*) FILTER (WHERE frequency > 0) AS customers, sum(frequency) AS orders, sum(monetary) AS revenue FROM features`);
    expect(Number(row?.customers)).toBe(oracle.customers);
    // Invoice 542806 appears in two separate blocks of the file: pandas counts one
    // invoice, segflow one order id (frequency counts distinct order ids).
    expect(Number(row?.orders)).toBe(oracle.invoices);
    expect(Number(row?.revenue)).toBeCloseTo(oracle.revenue, 2);
    expect(Math.abs(Number(row?.revenue) - oracle.revenue) / oracle.revenue).toBeLessThan(1e-6);
    expect(summary.asOf).toBe(new Date(`${oracle.snapshot.slice(0, 10)}T00:00:00Z`).toISOString());
  });

  it('has the same RFM medians', async () => {
    const [row] = await queryState(stateDir, `
      SELECT median(recency_days) AS r, median(frequency) AS f, median(round(monetary, 4)) AS m FROM features WHERE frequency > 0`);
    expect(Number(row?.r)).toBe(oracle.medians.recency_days);
    expect(Number(row?.f)).toBe(oracle.medians.frequency);
    expect(Number(row?.m)).toBeCloseTo(oracle.medians.monetary, 4);
  });

  it('has the same count in every RFM cell and every named segment', async () => {
    const cells = await queryState(stateDir, `
      SELECT CAST(rfm_r AS VARCHAR) || CAST(rfm_f AS VARCHAR) || CAST(rfm_m AS VARCHAR) AS cell, count(*) AS n
      FROM features WHERE rfm_r IS NOT NULL GROUP BY 1`);
    expect(Object.fromEntries(cells.map((cell) => [cell.cell, Number(cell.n)]))).toEqual(oracle.rfm_cells);
    const bySegmentName = Object.fromEntries(summary.segments.filter((segment) => segment.model === 'rfm').map((segment) => [segment.name, segment.size]));
    expect(bySegmentName).toEqual(oracle.segments);
  });

  it('matches every customer\'s recency, frequency, monetary and scores', async () => {
    const lines = readFileSync(join(FIXTURES, 'rfm-customers.csv'), 'utf8').trim().split('\n').slice(1);
    const rows = await queryState(stateDir, `
      SELECT profile_id, recency_days, frequency, monetary, rfm_r, rfm_f, rfm_m FROM features WHERE frequency > 0 ORDER BY profile_id`);
    const ours = new Map(rows.map((row) => [String(row.profile_id), row]));
    expect(ours.size).toBe(lines.length);
    let mismatches = 0;
    for (const line of lines) {
      const [id, recency, frequency, monetary, r, f, m] = line.split(',');
      const row = ours.get(`u:${id}`);
      const same = row !== undefined &&
        Number(row.recency_days) === Number(recency) && Number(row.frequency) === Number(frequency) &&
        Math.abs(Number(row.monetary) - Number(monetary)) < 1e-4 &&
        Number(row.rfm_r) === Number(r) && Number(row.rfm_f) === Number(f) && Number(row.rfm_m) === Number(m);
      if (!same) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('re-running reads nothing new and changes nothing', async () => {
    const again = await runMapping(join(REPO_ROOT, 'mappings', 'examples', 'online-retail.yaml'), stateDir);
    expect(again.events.read).toBe(0);
    expect(again.events.storedTotal).toBe(summary.events.storedTotal);
    expect(again.segments).toEqual(summary.segments);
  });
});
