import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runMapping, temporaryDirectory, writeMapping } from './support/run-mapping.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');

/** csv-orders with European dates read as ISO (the default): every row is quarantined. */
function wrongTimestampFormat(): string {
  const directory = temporaryDirectory('all-quarantined');
  const rows = Array.from({ length: 30 }, (_, index) => `${index + 1},c${index % 4},${10 + (index % 18)}/01/2024 10:00,1,2.5`);
  writeFileSync(join(directory, 'orders.csv'), `${['order,customer,date,qty,price', ...rows].join('\n')}\n`);
  return writeMapping(directory, `version: 1
sources:
  - id: pos
    type: csv-orders
    path: orders.csv
    columns: { order_id: order, customer_id: customer, timestamp: date, quantity: qty, unit_price: price }
features:
  include: [frequency]
segments:
  - id: all
    model: rules
    name: Everyone
    rule: frequency >= 0
`);
}

describe('a run that quarantines every row it read', () => {
  it('says so with the top reasons in the summary', async () => {
    const mapping = wrongTimestampFormat();
    const summary = await runMapping(mapping, join(mapping, '..', 'state'), () => NOW);
    expect(summary.events).toMatchObject({ read: 30, quarantined: 30 });
    expect(summary).toMatchObject({ allQuarantined: { read: 30, topReasons: [{ count: 30, example: expect.stringMatching(/^timestamp "\d+\/01\/2024 10:00" in column "date" is not a valid date/) }] } });
  });

  it('exits 1 (a data error) from segflow run, reasons on stderr, no stack trace', async () => {
    const mapping = wrongTimestampFormat();
    const outcome = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'cli', 'main.ts'), 'run', mapping, '--quiet'], { cwd: REPO_ROOT, env: { ...process.env, SEGFLOW_DEBUG: '' } });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/^segflow: every one of the 30 rows read this run was quarantined; nothing new was stored\. Top reasons:\n {2}30 × timestamp "/);
    expect(outcome.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});
