import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { formatIssue } from '../../core/config/config-issue.js';
import { runPipeline, type RunSummary } from '../../core/pipeline/run-pipeline.js';
import { wireSources } from '../../connectors/registry.js';
import { loadMapping } from '../../cli/commands/validate.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DATASETS = resolve(REPO_ROOT, '..', 'shared', 'datasets');

export { temporaryDirectory } from './temporary-directory.js';

/** Writes a mapping file into `directory` and returns its path. */
export function writeMapping(directory: string, text: string, name = 'mapping.yaml'): string {
  const file = join(directory, name);
  writeFileSync(file, text);
  return file;
}

/** Runs a mapping in-process exactly as `segflow run` does. */
export async function runMapping(file: string, stateDir: string, now = () => Date.now()): Promise<RunSummary> {
  const loaded = loadMapping(file);
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  return runPipeline({
    mapping: loaded.mapping,
    mappingFile: file,
    baseDir: dirname(file),
    stateDir,
    sources: wireSources(loaded.mapping),
    now,
    signal: new AbortController().signal,
  });
}

/** Reads rows from the state directory's DuckDB file (after the run closed it). */
export async function queryState(stateDir: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(join(stateDir, 'events.duckdb'), { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
