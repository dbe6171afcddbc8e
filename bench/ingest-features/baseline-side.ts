import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BaselineReport } from './baseline-pipeline.js';
import { measureNode, type ChildMeasurement } from './measure-child.js';

export interface BaselineRun {
  measurement: ChildMeasurement;
  report: BaselineReport;
  database: string;
}

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'baseline-pipeline.ts');

/**
 * The hand-written DuckDB pipeline as a child process, started the same way
 * as segflow from sources (node + tsx), so both pay the same startup.
 */
export async function runBaseline(repoRoot: string, dataFile: string, workDir: string): Promise<BaselineRun> {
  mkdirSync(workDir, { recursive: true });
  const database = join(workDir, 'baseline.duckdb');
  const measurement = await measureNode(['--import', 'tsx', SCRIPT, dataFile, database], repoRoot);
  if (measurement.exitCode !== 0) {
    throw new Error(`baseline exited with ${measurement.exitCode}:\n${measurement.stderr}`);
  }
  const report = JSON.parse(measurement.stdout.trim().split('\n').pop() ?? '') as BaselineReport;
  return { measurement, report, database };
}
