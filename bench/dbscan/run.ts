/**
 * bench/dbscan: segflow's DBSCAN (single thread, and with the neighbour
 * passes on worker threads) against scikit-learn's DBSCAN on the same points
 * at segflow's suggested eps, in one run, at several sizes; scikit-learn only
 * up to --sklearn-max rows and within --sklearn-timeout. See README.md.
 *
 *   npx tsx bench/dbscan/run.ts [--rows 100k,1M] [--sklearn-max 200k] [--sklearn-timeout 300] [--no-single] [--json]
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBlobs } from '../kmeans/dataset.js';
import { measureCommand } from '../kmeans/measure-command.js';
import type { DbscanSideRequest, DbscanSideResult } from './sides.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const COLUMNS = 8;
/** segflow's default min_samples: 2 × features. */
const MIN_SAMPLES = 2 * COLUMNS;
/** The same blobs as bench/kmeans (8 centres in [-10, 10]^8, spreads 1–2, seed 7). */
const CLUSTERS = 8;
const DATA_SEED = 7;

interface Options {
  sizes: number[];
  sklearnMax: number;
  sklearnTimeoutSeconds: number;
  single: boolean;
  json: boolean;
}

function parseCount(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text);
  if (!match) throw new Error(`not a count: ${text} (use e.g. 100k or 1M)`);
  return Math.round(Number(match[1]) * ({ '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6 }[match[2] as '' | 'k' | 'K' | 'm' | 'M']));
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { sizes: [100_000, 1_000_000], sklearnMax: 200_000, sklearnTimeoutSeconds: 300, single: true, json: false };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--rows') options.sizes = (argv[++index] ?? '').split(',').map(parseCount);
    else if (argument === '--sklearn-max') options.sklearnMax = parseCount(argv[++index] ?? '');
    else if (argument === '--sklearn-timeout') options.sklearnTimeoutSeconds = parseCount(argv[++index] ?? '');
    else if (argument === '--no-single') options.single = false;
    else if (argument === '--json') options.json = true;
    else throw new Error(`unknown option ${argument}; see bench/dbscan/README.md`);
  }
  return options;
}

interface Measured extends DbscanSideResult {
  wallSeconds: number;
  peakRssMb: number;
}

async function side(request: DbscanSideRequest, timeoutSeconds: number): Promise<Measured | string> {
  const json = JSON.stringify(request);
  try {
    const measured = request.mode === 'sklearn'
      // GNU time's %M covers timeout's child too (rusage of waited-for descendants).
      ? await measureCommand('/usr/bin/timeout', [String(timeoutSeconds), '/usr/bin/python3', join(HERE, 'sklearn_side.py'), json], ROOT)
      : await measureCommand(process.execPath, ['--import', 'tsx', join(HERE, 'segflow-side.ts'), json], ROOT);
    return { ...(measured.result as DbscanSideResult), wallSeconds: measured.wallMs / 1000, peakRssMb: measured.peakRssBytes / 2 ** 20 };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return / exited with 124:/.test(message) ? `did not finish in ${timeoutSeconds} s` : `failed: ${message.split('\n')[0]}`;
  }
}

interface Row {
  rows: number;
  eps: number;
  single?: Measured | string;
  parallel: Measured | string;
  sklearn?: Measured | string;
}

const seconds = (side: Measured | string | undefined): string =>
  side === undefined ? 'not run' : typeof side === 'string' ? side : `${side.seconds.toFixed(2)} (${side.cpuSeconds.toFixed(1)} cpu)`;
const rss = (side: Measured | string | undefined): string => (side === undefined || typeof side === 'string' ? '—' : side.peakRssMb.toFixed(0));
const ratio = (top: Measured | string | undefined, bottom: Measured | string | undefined): string =>
  typeof top === 'object' && typeof bottom === 'object' ? (top.seconds / bottom.seconds).toFixed(2) : '—';
/** Equal when every side that finished produced the same labels (hash) as the parallel run. */
function sameLabels(row: Row): string {
  if (typeof row.parallel === 'string') return '—';
  const others = [row.single, row.sklearn].filter((side): side is Measured => typeof side === 'object');
  if (others.length === 0) return '—';
  return others.every((side) => side.labelsSha256 === (row.parallel as Measured).labelsSha256) ? 'yes' : 'NO';
}

function format(rows: readonly Row[]): string {
  const lines = [
    '| rows | eps | clusters / noise | segflow parallel s | RSS MB | segflow 1 thread s | RSS MB | sklearn s | RSS MB | parallel / sklearn | parallel / 1 thread | same labels |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |',
  ];
  for (const row of rows) {
    const counts = typeof row.parallel === 'object' ? `${row.parallel.clusters} / ${row.parallel.noise!.toLocaleString('en-US')}` : '—';
    lines.push(
      `| ${row.rows.toLocaleString('en-US')} | ${row.eps.toFixed(4)} | ${counts} | ${seconds(row.parallel)} | ${rss(row.parallel)} | ${seconds(row.single)} | ${rss(row.single)} | ${seconds(row.sklearn)} | ${rss(row.sklearn)} | ${ratio(row.parallel, row.sklearn)} | ${ratio(row.parallel, row.single)} | ${sameLabels(row)} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const log = (message: string): boolean => (options.json ? process.stderr : process.stdout).write(`${message}\n`);
  const loadBefore = loadavg();
  const table: Row[] = [];
  for (const rows of options.sizes) {
    const { path } = ensureBlobs({ rows, columns: COLUMNS, clusters: CLUSTERS, seed: DATA_SEED });
    readFileSync(path); // warm the page cache for every side
    const base = { path, rows, columns: COLUMNS, minSamples: MIN_SAMPLES };
    log(`${rows.toLocaleString('en-US')} rows: suggesting eps …`);
    const suggestion = await side({ ...base, mode: 'eps' }, 0);
    if (typeof suggestion === 'string') throw new Error(`eps suggestion ${suggestion}`);
    const request = { ...base, eps: suggestion.eps! };
    log(`  eps ${suggestion.eps!.toFixed(4)} (${suggestion.seconds.toFixed(1)} s); segflow with workers …`);
    const row: Row = { rows, eps: suggestion.eps!, parallel: await side({ ...request, mode: 'parallel' }, 0) };
    if (options.single) {
      log('  segflow on one thread …');
      row.single = await side({ ...request, mode: 'single' }, 0);
    }
    if (rows <= options.sklearnMax) {
      log('  scikit-learn …');
      row.sklearn = await side({ ...request, mode: 'sklearn' }, options.sklearnTimeoutSeconds);
    }
    table.push(row);
  }
  const loadAfter = loadavg();
  if (options.json) process.stdout.write(`${JSON.stringify({ table, loadBefore, loadAfter })}\n`);
  else log(`${format(table)}\n\nmin_samples ${MIN_SAMPLES}; load average before ${loadBefore.map((load) => load.toFixed(2)).join(' ')}, after ${loadAfter.map((load) => load.toFixed(2)).join(' ')}`);
}

await main();
