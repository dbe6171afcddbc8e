/**
 * A screenshot of the `segflow serve` dashboard for the docs (not part of
 * the test suite): `npx tsx bench/report/dashboard-screenshot.ts [OUT_DIR]`.
 * Serves the retail demo's mapping with an ingest source, makes one run
 * through the scheduler, sends a few events, and shoots /ui in Debian's
 * Chromium once the live panel has updated. Writes docs/dashboard.png.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { pino } from 'pino';
import { loadMapping } from '../../cli/commands/validate.js';
import { startServer } from '../../cli/serve/serve-app.js';
import { openWorkspace } from '../../core/runtime/index.js';
import { createConnectors } from '../../connectors/wiring.js';

const outDir = resolve(process.argv[2] ?? 'docs');
const directory = mkdtempSync(join(tmpdir(), 'segflow-dashboard-'));
const retail = readFileSync(resolve('mappings/examples/retail.yaml'), 'utf8');
const mapping = retail.slice(0, retail.indexOf('\nsinks:')).replace('users: 5000', 'users: 1500')
  .replace(/sources:\n/, "sources:\n  - id: web\n    type: segment-api\n    write_keys: ['${env:DEMO_WRITE_KEY}']\n")
  + '\nschedule:\n  jobs:\n    - { id: refresh, cron: "0 * * * *", job: run }\nserve:\n  admin_api_keys: [\'${env:DEMO_ADMIN_KEY}\']\n';
const file = join(directory, 'dashboard.yaml');
writeFileSync(file, mapping);
const env = { ...process.env, DEMO_WRITE_KEY: 'wk_demo_0123456789', DEMO_ADMIN_KEY: 'admin_demo_0123456789' };
const loaded = loadMapping(file);
if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
const workspace = await openWorkspace({ mapping: loaded.mapping, mappingFile: file, connectors: createConnectors(), env, stateDir: join(directory, 'state') });
const server = await startServer(workspace, { host: '127.0.0.1', port: 0, scheduleTimers: false, logger: pino({ level: 'silent' }) });
try {
  await server.scheduler!.fire('refresh');
  const batch = Array.from({ length: 40 }, (_, index) => ({ type: 'track', event: 'Product Viewed', userId: `u${index % 7}`, messageId: `demo-${index}`, properties: { price: 20 + index } }));
  await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${env.DEMO_WRITE_KEY}:`).toString('base64')}` }, body: JSON.stringify({ batch }) });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1400 }, httpCredentials: { username: 'admin', password: env.DEMO_ADMIN_KEY } });
    const page = await context.newPage();
    await page.goto(`${server.url}/ui`);
    await page.locator('[data-live="events_accepted"][data-value="40"]').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(outDir, 'dashboard.png') });
    process.stdout.write(`${join(outDir, 'dashboard.png')}\n`);
  } finally {
    await browser.close();
  }
} finally {
  await server.close();
  await workspace.close();
}
