/**
 * Screenshots of a report for the docs (not part of the test suite):
 *   npx tsx bench/report/screenshot.ts report.html docs
 * writes docs/report-overview.png (the top of the report) and
 * docs/report-profiles.png (the cluster profiles section), with Debian's
 * Chromium and every request outside the file blocked.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [htmlFile, outDir = 'docs'] = process.argv.slice(2);
if (htmlFile === undefined) {
  process.stderr.write('usage: tsx bench/report/screenshot.ts REPORT.html [OUT_DIR]\n');
  process.exit(2);
}
const url = pathToFileURL(resolve(htmlFile)).href;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 }, deviceScaleFactor: 1 });
  await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await page.goto(url);
  await page.waitForSelector('[data-chart][data-rendered="true"]');
  await page.screenshot({ path: resolve(outDir, 'report-overview.png') });
  for (const section of ['profiles']) {
    const element = page.locator(`section#${section}`);
    if ((await element.count()) === 0) continue;
    await element.screenshot({ path: resolve(outDir, `report-${section}.png`) });
    process.stdout.write(`${resolve(outDir, `report-${section}.png`)}\n`);
  }
  process.stdout.write(`${resolve(outDir, 'report-overview.png')}\n`);
} finally {
  await browser.close();
}
