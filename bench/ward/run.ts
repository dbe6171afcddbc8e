/**
 * bench/ward: segflow's exact Ward (NN-chain over centroids, O(n) memory)
 * against scikit-learn's AgglomerativeClustering(linkage='ward') (a condensed
 * distance matrix, O(n²) memory) on the same points, in one run, at several
 * sizes; scikit-learn only where its matrix fits in memory. See README.md.
 *
 *   npx tsx bench/ward/run.ts [--rows 5k,10k,20k,50k,100k] [--sklearn-max 30k] [--json]
 */
import { readFileSync } from 'node:fs';
import { freemem, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBlobs } from '../kmeans/dataset.js';
import { measureCommand } from '../kmeans/measure-command.js';
import type { WardSideRequest, WardSideResult } from './sides.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const COLUMNS = 8;
const CLUSTERS = 8;
const DATA_SEED = 11;
const KS = [2, 3, 4, 5, 6, 7, 8];

function parseCount(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text);
  if (!match) throw new Error(`not a count: ${text} (use e.g. 20k or 100k)`);
  return Math.round(Number(match[1]) * ({ '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6 }[match[2] as '' | 'k' | 'K' | 'm' | 'M']));
}

function parseOptions(argv: readonly string[]): { sizes: number[]; sklearnMax: number; json: boolean } {
  const options = { sizes: [5_000, 10_000, 20_000, 50_000, 100_000], sklearnMax: 30_000, json: false };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--rows') options.sizes = (argv[++index] ?? '').split(',').map(parseCount);
    else if (argument === '--sklearn-max') options.sklearnMax = parseCount(argv[++index] ?? '');
    else if (argument === '--json') options.json = true;
    else throw new Error(`unknown option ${argument}; see bench/ward/README.md`);
  }
  return options;
}

/**
 * scipy's nn_chain copies the condensed matrix it is given: ~2 × 4n² bytes.
 * Run sklearn only when that is under half the free memory (other processes
 * share this machine) and under --sklearn-max rows.
 */
function sklearnFits(rows: number, sklearnMax: number): boolean {
  return rows <= sklearnMax && 8 * rows * rows < freemem() / 2;
}

interface SideMeasurement {
  seconds: number;
  cpuSeconds: number;
  wallSeconds: number;
  peakRssMb: number;
}

interface Row {
  rows: number;
  segflow: SideMeasurement;
  sklearn?: SideMeasurement;
  sameSizes?: boolean;
}

async function side(kind: 'segflow' | 'sklearn', request: WardSideRequest): Promise<SideMeasurement & { sizes: WardSideResult['sizesByK'] }> {
  const measured = kind === 'sklearn'
    ? await measureCommand('/usr/bin/python3', [join(HERE, 'sklearn_side.py'), JSON.stringify(request)], ROOT)
    : await measureCommand(process.execPath, ['--import', 'tsx', join(HERE, 'segflow-side.ts'), JSON.stringify(request)], ROOT);
  const result = measured.result as WardSideResult;
  return { seconds: result.seconds, cpuSeconds: result.cpuSeconds, wallSeconds: measured.wallMs / 1000, peakRssMb: measured.peakRssBytes / 2 ** 20, sizes: result.sizesByK };
}

function format(rows: readonly Row[]): string {
  const lines = [
    '| rows | segflow tree s (cpu s) | segflow peak RSS MB | sklearn tree s (cpu s) | sklearn peak RSS MB | time ratio segflow/sklearn (cpu) | RSS ratio | sizes k=2..8 equal |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |',
  ];
  for (const row of rows) {
    const { segflow, sklearn } = row;
    lines.push(`| ${row.rows.toLocaleString('en-US')} | ${segflow.seconds.toFixed(2)} (${segflow.cpuSeconds.toFixed(2)}) | ${segflow.peakRssMb.toFixed(0)} | ${sklearn ? `${sklearn.seconds.toFixed(2)} (${sklearn.cpuSeconds.toFixed(2)})` : '—'} | ${sklearn ? sklearn.peakRssMb.toFixed(0) : 'not run (memory)'} | ${sklearn ? `${(segflow.seconds / sklearn.seconds).toFixed(2)} (${(segflow.cpuSeconds / sklearn.cpuSeconds).toFixed(2)})` : '—'} | ${sklearn ? (segflow.peakRssMb / sklearn.peakRssMb).toFixed(2) : '—'} | ${row.sameSizes === undefined ? '—' : row.sameSizes ? 'yes' : 'NO'} |`);
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
    readFileSync(path); // warm the page cache for both sides
    const request: WardSideRequest = { path, rows, columns: COLUMNS, ks: KS };
    log(`${rows.toLocaleString('en-US')} rows: segflow …`);
    const segflow = await side('segflow', request);
    const row: Row = { rows, segflow };
    if (sklearnFits(rows, options.sklearnMax)) {
      log(`${rows.toLocaleString('en-US')} rows: scikit-learn …`);
      const sklearn = await side('sklearn', request);
      row.sklearn = sklearn;
      row.sameSizes = JSON.stringify(sklearn.sizes) === JSON.stringify(segflow.sizes);
    }
    table.push(row);
  }
  const loadAfter = loadavg();
  if (options.json) process.stdout.write(`${JSON.stringify({ table, loadBefore, loadAfter })}\n`);
  else log(`${format(table)}\n\nload average before ${loadBefore.map((load) => load.toFixed(2)).join(' ')}, after ${loadAfter.map((load) => load.toFixed(2)).join(' ')}`);
}

await main();
