/**
 * Ingest → identity → features, segflow against a hand-written DuckDB
 * pipeline on the same JSONL, same machine, same run:
 *   npx tsx bench/ingest-features/run.ts [--events 1000000,10000000] [--keep] [--json] [--cpu-prof]
 * Prints, per size, both sides' wall time, throughput, peak RSS and stage
 * timings, and the throughput ratio (target ≥ 0.5) with the RSS target (2 GiB).
 */
import { DUCKDB_SETTINGS } from './bench-settings.js';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runBaseline, type BaselineRun } from './baseline-side.js';
import { topSelfTime } from './cpu-profile-summary.js';
import { datasetPath, ensureDataset, warmPageCache } from './dataset.js';
import { compareTotals, featureTotals } from './feature-agreement.js';
import { assertTimeAvailable } from './measure-child.js';
import { formatSizeResult, sideResult, type SizeResult } from './report.js';
import { runSegflow, type SegflowRun } from './segflow-side.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DATA_DIR = join(REPO_ROOT, 'bench', '.data');

/**
 * Disk a size needs: the JSONL (~760 B/event) unless already generated, and
 * the work directory: segflow's state (~110 B/event at 1M), the baseline's
 * database (~55 B/event) and DuckDB's spill files while the dedup and window
 * sorts exceed memory_limit, with headroom.
 */
const WORK_BYTES_PER_EVENT = 600;
const JSONL_BYTES_PER_EVENT = 770;

interface BenchOptions {
  sizes: number[];
  keep: boolean;
  json: boolean;
  cpuProfile: boolean;
}

async function main(options: BenchOptions): Promise<void> {
  assertTimeAvailable();
  mkdirSync(DATA_DIR, { recursive: true });
  const results: SizeResult[] = [];
  const log = (text: string) => (options.json ? process.stderr : process.stdout).write(text);
  log(`segflow vs hand-written DuckDB SQL: ingest → identity → features (DuckDB threads=${DUCKDB_SETTINGS.threads}, memory_limit=${DUCKDB_SETTINGS.memory_limit} on both sides; peak RSS from GNU time %M)\n`);
  for (const size of options.sizes) {
    const skip = diskShortfall(size);
    if (skip) {
      log(`skipping ${size.toLocaleString('en-US')} events: ${skip}\n`);
      continue;
    }
    const result = await runSize(size, options, (text) => process.stderr.write(text));
    results.push(result);
    log(`\n${formatSizeResult(result)}`);
  }
  if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

async function runSize(size: number, options: BenchOptions, progress: (text: string) => void): Promise<SizeResult> {
  progress(`[${size}] dataset…\n`);
  const dataset = await ensureDataset(DATA_DIR, size);
  await warmPageCache(dataset.path);
  const workDir = mkdtempSync(join(tmpdir(), `segflow-bench-${size}-`));
  try {
    // A side that fails (say, out of memory at 10M) is reported as such; the
    // other side's numbers are still worth printing.
    progress(`[${size}] segflow run…\n`);
    const segflow = await attempt(() => runSegflow(REPO_ROOT, dataset.path, join(workDir, 'segflow')));
    progress(`[${size}] baseline…\n`);
    const baseline = await attempt(() => runBaseline(REPO_ROOT, dataset.path, join(workDir, 'baseline')));
    let cpuProfile: SizeResult['cpuProfile'] = null;
    if (options.cpuProfile) {
      progress(`[${size}] segflow run under --cpu-prof…\n`);
      // The profile goes to bench/.data/cpu-profiles/ so it outlives the work directory (open it in Chrome DevTools).
      const profiled = await runSegflow(REPO_ROOT, dataset.path, join(workDir, 'segflow-profiled'), {
        cpuProfileDir: join(DATA_DIR, 'cpu-profiles', `${size}-${Date.now()}`),
      });
      if (profiled.cpuProfile) {
        cpuProfile = { file: relative(REPO_ROOT, profiled.cpuProfile), wallSeconds: profiled.measurement.wallMs / 1000, top: topSelfTime(profiled.cpuProfile, REPO_ROOT) };
      }
    }
    const segflowSide = 'error' in segflow ? segflow : segflowResult(segflow, dataset.lines);
    const baselineSide = 'error' in baseline ? baseline : baselineResult(baseline, dataset.lines);
    let agreement: SizeResult['agreement'] = null;
    let throughputRatio: number | null = null;
    if (!('error' in segflow) && !('error' in baseline)) {
      // Same lines on both sides: the throughput ratio is the inverse wall-time ratio.
      throughputRatio = baseline.measurement.wallMs / segflow.measurement.wallMs;
      const compared = compareTotals(await featureTotals(join(segflow.stateDir, 'events.duckdb')), await featureTotals(baseline.database));
      agreement = {
        ok: compared.ok, problems: compared.problems, profiles: compared.segflow.profiles,
        frequency: compared.segflow.columns.frequency?.sum ?? Number.NaN, monetary: compared.segflow.columns.monetary?.sum ?? Number.NaN,
      };
    }
    return {
      requestedEvents: size,
      events: dataset.lines,
      dataset: { path: relative(REPO_ROOT, dataset.path), bytes: dataset.bytes, generatedSeconds: dataset.generatedSeconds },
      segflow: segflowSide,
      baseline: baselineSide,
      throughputRatio,
      agreement,
      cpuProfile,
      keptIn: options.keep ? workDir : null,
    };
  } finally {
    if (!options.keep) rmSync(workDir, { recursive: true, force: true });
  }
}

function segflowResult(run: SegflowRun, lines: number): SizeResult['segflow'] {
  const { summary, measurement } = run;
  return {
    ...sideResult(measurement.wallMs, measurement.peakRssBytes, lines, { ...summary.timingsMs }),
    entry: run.entry, accepted: summary.events.accepted, duplicates: summary.events.duplicates,
    quarantined: summary.events.quarantined, profiles: summary.profiles,
  };
}

function baselineResult(run: BaselineRun, lines: number): SizeResult['baseline'] {
  return {
    ...sideResult(run.measurement.wallMs, run.measurement.peakRssBytes, lines, { ...run.report.timingsMs }),
    stored: run.report.events, profiles: run.report.profiles,
  };
}

async function attempt<T>(work: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await work();
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** A reason to skip a size when the disk cannot hold its data and both sides' databases. */
function diskShortfall(size: number): string | null {
  const free = (path: string) => {
    const stats = statfsSync(path);
    return stats.bavail * stats.bsize;
  };
  const needed = size * WORK_BYTES_PER_EVENT + (existsSync(datasetPath(DATA_DIR, size)) ? 0 : size * JSONL_BYTES_PER_EVENT);
  const available = Math.min(free(DATA_DIR), free(tmpdir()));
  if (available >= needed) return null;
  return `needs ~${(needed / 1e9).toFixed(1)} GB free (JSONL plus both databases), ${(available / 1e9).toFixed(1)} GB available`;
}

function parseSizes(text: string): number[] {
  return text.split(',').map((part) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$/.exec(part);
    const multiplier = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6 }[match?.[2] ?? ''] ?? 1;
    const value = match ? Math.round(Number(match[1]) * multiplier) : Number.NaN;
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--events: "${part}" is not a positive count (e.g. 1000000 or 1M)`);
    return value;
  });
}

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    keep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
  },
});

main({ sizes: parseSizes(values.events), keep: values.keep, json: values.json, cpuProfile: values['cpu-prof'] }).catch((error: unknown) => {
  process.stderr.write(`bench:ingest: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
