import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { secretFingerprint } from '../core/audit/index.js';
import { axeViolations } from './support/axe-audit.js';
import { basicAuth, INGEST_ENV, startIngestServer, WRITE_KEY, type IngestServer } from './support/ingest-server.js';
import { EVERYONE_SECTIONS, temporaryDirectory } from './support/run-mapping.js';

/**
 * The dashboard of `segflow serve` (/ui, behind the admin key) in Debian's
 * Chromium: it shows the segments of the run the server just made, and its
 * live panel follows events as they arrive. No request leaves the server.
 */
const ADMIN_KEY = 'admin_test_key_0123456789';

const MAPPING = `version: 1
name: dashboard
sources:
  - id: web
    type: segment-api
    write_keys: ['\${env:TEST_WRITE_KEY}']
${EVERYONE_SECTIONS}  - id: buyers
    model: rules
    name: Buyers
    rule: frequency >= 2
schedule:
  jobs:
    - { id: refresh, cron: "0 * * * *", job: run }
serve:
  admin_api_keys: ['\${env:TEST_ADMIN_KEY}']
`;

let server: IngestServer;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const foreignRequests: string[] = [];

async function post(batch: unknown[]): Promise<void> {
  const response = await fetch(`${server.server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(WRITE_KEY) }, body: JSON.stringify({ batch }) });
  expect(response.status).toBe(200);
}

const track = (user: number, index: number) => ({ type: 'track', event: 'Order Completed', userId: `user-${user}`, messageId: `m-${user}-${index}`, timestamp: '2026-11-20T10:00:00Z', properties: { revenue: 10 } });

beforeAll(async () => {
  server = await startIngestServer(temporaryDirectory('dashboard'), { scheduleTimers: false }, MAPPING, { ...INGEST_ENV, TEST_ADMIN_KEY: ADMIN_KEY });
  await post([...Array.from({ length: 6 }, (_, user) => track(user, 1)), track(0, 2), track(1, 2)]);
  await server.server.loader.loadNow();
  expect((await server.server.scheduler!.fire('refresh')).result).toBe('succeeded');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const context = await browser.newContext({ httpCredentials: { username: 'admin', password: ADMIN_KEY } });
  page = await context.newPage();
  const origin = new URL(server.server.url).origin;
  await page.route('**/*', (route) => (new URL(route.request().url()).origin === origin ? route.continue() : (foreignRequests.push(route.request().url()), route.abort())));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(`${server.server.url}/ui`, { waitUntil: 'load' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the dashboard in Chromium', () => {
  it('refuses without the admin key', async () => {
    expect((await fetch(`${server.server.url}/ui`)).status).toBe(401);
    expect((await fetch(`${server.server.url}/ui/live.json`, { headers: { authorization: 'Bearer not-the-key' } })).status).toBe(401);
  });

  it('shows the segments of the run the server made, with no console errors and no request elsewhere', async () => {
    const sizes = await page.$$eval('section#segments table tbody tr', (rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent?.trim() ?? '')));
    const flat = sizes.map((row) => row.join(' | ')).join('\n');
    expect(flat).toMatch(/Everyone[^\n]*6/);
    expect(flat).toMatch(/Buyers[^\n]*2/);
    expect(await page.$$eval('[data-chart][data-rendered="true"]', (charts) => charts.length)).toBeGreaterThan(0);
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });

  it('updates the live events counter when events arrive', async () => {
    const cell = page.locator('[data-live="events_accepted"]');
    await expect.poll(async () => Number(await cell.getAttribute('data-value')), { timeout: 20_000 }).toBe(8);
    await post([track(7, 1), track(8, 1), track(9, 1)]);
    await expect.poll(async () => Number(await cell.getAttribute('data-value')), { timeout: 20_000 }).toBe(11);
    expect(await page.locator('[data-live="last_run"]').textContent()).toMatch(/succeeded/);
  });

  it('breaks none of axe-core\'s WCAG 2.1 A and AA rules, live panel included', async () => {
    expect(await axeViolations(page)).toEqual([]);
  });

  it('writes admin logins to the audit trail, the key as a fingerprint only', async () => {
    expect((await fetch(`${server.server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).status).toBe(200);
    expect((await fetch(`${server.server.url}/metrics`, { headers: { authorization: 'Bearer wrong-key-0123456789' } })).status).toBe(401);
    // The first acceptance of a key is written at once; refusals are folded until the next flush (at stop).
    const logins = (await server.workspace.state.audit.entries()).filter((entry) => entry.kind === 'api_login');
    expect(logins.length).toBeGreaterThan(0);
    expect(JSON.stringify(logins)).not.toContain(ADMIN_KEY);
    // The browser's Basic login to /ui is in the trail too, under the key's fingerprint.
    const dashboard = logins.map((entry) => JSON.parse(entry.detail) as Record<string, unknown>).filter((detail) => detail.endpoint === 'dashboard');
    expect(dashboard).toContainEqual(expect.objectContaining({ outcome: 'accepted', scope: 'admin', keyFingerprint: secretFingerprint(ADMIN_KEY) }));
  });
});
