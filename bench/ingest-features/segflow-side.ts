import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { RunSummary } from '../../core/pipeline/run-pipeline.js';
import { BENCH_FEATURES, MISSING_MEDIAN } from './bench-settings.js';
import { measureNode, type ChildMeasurement } from './measure-child.js';

export interface SegflowRun {
  measurement: ChildMeasurement;
  summary: RunSummary;
  stateDir: string;
  /** The CLI that ran: the compiled one when dist/ exists, else the sources through tsx. */
  entry: string;
  /** The main thread's .cpuprofile, when profiling was asked for. */
  cpuProfile: string | null;
}

/**
 * The mapping the benchmark runs: retail.yaml's built-in features and
 * missing-value policy, one RFM segmentation, and the JSONL as its only
 * source. Everything else at segflow's defaults: this measures the product as
 * a user would run it.
 */
export function benchMapping(dataFile: string): string {
  return stringify({
    version: 1,
    name: 'bench-ingest-features',
    sources: [{ id: 'bench', type: 'segment-files', path: dataFile }],
    sessions: { gap: '30m' },
    features: { as_of: 'latest', include: [...BENCH_FEATURES], missing: { [MISSING_MEDIAN]: 'median' } },
    segments: [{ id: 'rfm', model: 'rfm' }],
  });
}

/** `segflow run mapping.yaml --state DIR --json` as a child process, measured; under --cpu-prof when given a profile directory. */
export async function runSegflow(repoRoot: string, dataFile: string, workDir: string, options: { cpuProfileDir?: string } = {}): Promise<SegflowRun> {
  mkdirSync(workDir, { recursive: true });
  const mappingFile = join(workDir, 'mapping.yaml');
  const stateDir = join(workDir, 'state');
  writeFileSync(mappingFile, benchMapping(dataFile));
  const compiled = join(repoRoot, 'dist', 'cli', 'main.js');
  const entry = existsSync(compiled) ? [compiled] : ['--import', 'tsx', join(repoRoot, 'cli', 'main.ts')];
  const profileDir = options.cpuProfileDir;
  const profiling = profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir];
  const measurement = await measureNode([...profiling, ...entry, 'run', mappingFile, '--state', stateDir, '--json'], repoRoot);
  if (measurement.exitCode !== 0) {
    throw new Error(`segflow run exited with ${measurement.exitCode}:\n${measurement.stderr}`);
  }
  let summary: RunSummary;
  try {
    summary = JSON.parse(measurement.stdout) as RunSummary;
  } catch (error) {
    throw new Error(`segflow run --json printed no JSON summary (${(error as Error).message}):\n${measurement.stdout.slice(0, 2000)}`, { cause: error });
  }
  return { measurement, summary, stateDir, entry: entry.join(' '), cpuProfile: profileDir === undefined ? null : mainThreadProfile(profileDir) };
}

/** tsx's loader thread writes a profile too; the main thread's is the big one. */
function mainThreadProfile(directory: string): string | null {
  if (!existsSync(directory)) return null;
  const files = readdirSync(directory).filter((name) => name.endsWith('.cpuprofile')).map((name) => join(directory, name));
  files.sort((left, right) => statSync(right).size - statSync(left).size);
  return files[0] ?? null;
}
