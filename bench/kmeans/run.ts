/**
 * bench/kmeans: segflow's k-means against scikit-learn's on the same 1M × 8
 * points, in one run. See README.md for what is measured and how.
 *
 *   npx tsx bench/kmeans/run.ts [--rows 1M] [--repeats 5] [--no-k-selection] [--k-selection-n-init 10] [--source] [--json]
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBlobs } from './dataset.js';
import { measureCommand } from './measure-command.js';
import { fitTable, kSelectionTable, summarize, type FitSide } from './report.js';
import type { FitRecord, KSelectionRecord, SideRequest } from './segflow-side.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const COLUMNS = 8;
const K = 8;
const DATA_SEED = 7;

interface Options {
  rows: number;
  repeats: number;
  kSelection: boolean;
  /** Restarts per k in the k selection (both sides). */
  kSelectionNInit: number;
  forceSource: boolean;
  json: boolean;
}

function parseCount(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text);
  if (!match) throw new Error(`not a count: ${text} (use e.g. 200k or 1M)`);
  const multiplier = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6 }[match[2] as '' | 'k' | 'K' | 'm' | 'M'];
  return Math.round(Number(match[1]) * multiplier);
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { rows: 1_000_000, repeats: 5, kSelection: true, kSelectionNInit: 10, forceSource: false, json: false };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--rows') options.rows = parseCount(argv[++index] ?? '');
    else if (argument === '--repeats') options.repeats = parseCount(argv[++index] ?? '');
    else if (argument === '--no-k-selection') options.kSelection = false;
    else if (argument === '--k-selection-n-init') options.kSelectionNInit = parseCount(argv[++index] ?? '');
    else if (argument === '--source') options.forceSource = true;
    else if (argument === '--json') options.json = true;
    else throw new Error(`unknown option ${argument}; see bench/kmeans/README.md`);
  }
  return options;
}

/** The compiled build is used when it is at least as new as every source the bench runs (a stale build would measure old code). */
function buildIsFresh(): boolean {
  const built = join(ROOT, 'dist', 'core', 'models', 'kmeans-block-passes.js');
  if (!existsSync(built)) return false;
  const builtAt = statSync(built).mtimeMs;
  const sources = join(ROOT, 'core', 'models');
  return readdirSync(sources)
    .filter((name) => /^(kmeans|k-selection|silhouette|cluster-indices|kneedle|feature-matrix)/.test(name) && name.endsWith('.ts') && !name.includes('.test'))
    .every((name) => statSync(join(sources, name)).mtimeMs <= builtAt);
}

function log(options: Options, message: string): void {
  (options.json ? process.stderr : process.stdout).write(`${message}\n`);
}

async function runSide(side: 'segflow' | 'sklearn', request: SideRequest): Promise<{ result: unknown; wallMs: number; peakRssBytes: number; cpuSeconds: number }> {
  if (side === 'sklearn') return measureCommand('/usr/bin/python3', [join(HERE, 'sklearn_side.py'), JSON.stringify(request)], ROOT);
  return measureCommand(process.execPath, ['--import', 'tsx', '--expose-gc', join(HERE, 'segflow-side.ts'), JSON.stringify(request)], ROOT);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const loadBefore = loadavg();
  const { path } = ensureBlobs({ rows: options.rows, columns: COLUMNS, clusters: K, seed: DATA_SEED });
  readFileSync(path); // warm the page cache so neither side pays for the first read
  const fromBuild = !options.forceSource && buildIsFresh();
  const seeds = Array.from({ length: options.repeats }, (_, index) => index);
  const base: SideRequest = {
    mode: 'fit', path, rows: options.rows, columns: COLUMNS, k: K, seeds, fromBuild,
    seedingOnAllRows: false, kMin: 2, kMax: 10, silhouetteSampleSize: 10_000, kSelectionNInit: options.kSelectionNInit,
  };
  log(options, `bench/kmeans: ${options.rows.toLocaleString('en')} × ${COLUMNS} points, k = ${K}, n_init = 1, ${options.repeats} seeds per side; segflow from ${fromBuild ? 'the compiled build (dist/)' : 'TypeScript sources under tsx (npm run build first for compiled numbers)'}; load average ${loadBefore.map((value) => value.toFixed(2)).join(' ')}`);

  const sides: FitSide[] = [];
  for (const [label, side, request] of [
    ['segflow (k-means++ on a 32,768-row sample)', 'segflow', base],
    ['scikit-learn (lloyd, k-means++ on all rows)', 'sklearn', base],
    ['segflow (k-means++ on all rows)', 'segflow', { ...base, seedingOnAllRows: true }],
  ] as const) {
    log(options, `  running ${label} …`);
    const measured = await runSide(side, request);
    sides.push({ label, fits: (measured.result as { fits: FitRecord[] }).fits, wallMs: measured.wallMs, peakRssBytes: measured.peakRssBytes });
  }
  const bestOverall = Math.min(...sides.flatMap((side) => side.fits.map((fit) => fit.inertia)));
  const [segflow, sklearn, segflowAllRows] = sides.map((side) => summarize(side, bestOverall));

  const ratios = {
    time: segflow!.medianMs / sklearn!.medianMs,
    firstFitTime: segflow!.firstMs / sklearn!.firstMs,
    inertia: segflow!.medianInertia / sklearn!.medianInertia,
    bestInertia: segflow!.bestInertia / sklearn!.bestInertia,
    segflowRssMb: segflow!.peakRssMb,
    sklearnRssMb: sklearn!.peakRssMb,
  };
  log(options, '');
  log(options, fitTable([segflow!, sklearn!, segflowAllRows!]));
  log(options, '');
  log(options, `time ratio segflow/sklearn (median fit): ${ratios.time.toFixed(2)}  (target ≤ 1.00); first fit: ${ratios.firstFitTime.toFixed(2)}`);
  log(options, `inertia ratio (median): ${ratios.inertia.toFixed(5)}, best-of-seeds: ${ratios.bestInertia.toFixed(6)}  (target within 0.5%)`);
  log(options, `peak RSS: segflow ${ratios.segflowRssMb.toFixed(0)} MB (target ≤ 300 MB), sklearn ${ratios.sklearnRssMb.toFixed(0)} MB`);

  let kSelection: { segflow: KSelectionRecord; sklearn: KSelectionRecord; segflowRssMb: number; sklearnRssMb: number; segflowCpuSeconds: number; sklearnCpuSeconds: number } | undefined;
  if (options.kSelection) {
    log(options, '');
    log(options, `  running k selection, k = 2..10 (n_init = ${options.kSelectionNInit}, silhouette on 10,000 sampled rows, CH and DB on all rows) …`);
    const request = { ...base, mode: 'k-selection' as const };
    const ours = await runSide('segflow', request);
    const theirs = await runSide('sklearn', request);
    kSelection = {
      segflow: ours.result as KSelectionRecord,
      sklearn: theirs.result as KSelectionRecord,
      segflowRssMb: ours.peakRssBytes / 2 ** 20,
      sklearnRssMb: theirs.peakRssBytes / 2 ** 20,
      segflowCpuSeconds: ours.cpuSeconds,
      sklearnCpuSeconds: theirs.cpuSeconds,
    };
    log(options, kSelectionTable(kSelection.segflow, kSelection.sklearn));
    log(options, `k selection time: segflow ${(kSelection.segflow.ms / 1000).toFixed(2)} s, sklearn ${(kSelection.sklearn.ms / 1000).toFixed(2)} s, ratio ${(kSelection.segflow.ms / kSelection.sklearn.ms).toFixed(2)} (target ≤ 0.50); process CPU segflow ${kSelection.segflowCpuSeconds.toFixed(1)} s, sklearn ${kSelection.sklearnCpuSeconds.toFixed(1)} s; peak RSS segflow ${kSelection.segflowRssMb.toFixed(0)} MB, sklearn ${kSelection.sklearnRssMb.toFixed(0)} MB`);
    log(options, `segflow chose k = ${kSelection.segflow.chosenK} (elbow ${kSelection.segflow.elbowK ?? 'none'}): ${kSelection.segflow.reason}`);
  }
  const loadAfter = loadavg();
  log(options, `load average after: ${loadAfter.map((value) => value.toFixed(2)).join(' ')}`);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ rows: options.rows, fromBuild, loadBefore, loadAfter, summaries: [segflow, sklearn, segflowAllRows], ratios, kSelection }, null, 1)}\n`);
  }
}

await main();
