import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { formatIssue } from '../../core/config/config-issue.js';
import type { RunSummary } from '../../core/pipeline/run-pipeline.js';
import { openWorkspace, runJob } from '../../core/runtime/index.js';
import { SANDBOXES } from '../../connectors/sandbox.js';
import { createConnectors } from '../../connectors/wiring.js';
import { loadMapping } from '../../cli/commands/validate.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DATASETS = resolve(REPO_ROOT, '..', 'shared', 'datasets');

export { temporaryDirectory } from './temporary-directory.js';

/** The features and segments of the smallest mapping: one rule segment of everyone (segments come last, so more can be appended). */
export const EVERYONE_SECTIONS = `features:
  include: [frequency]
segments:
  - id: all
    model: rules
    name: Everyone
    rule: frequency >= 0
`;

/** The smallest mapping that runs: events.jsonl beside it, one rule segment of everyone. Append sections to it. */
export const EVERYONE_MAPPING = `version: 1
sources:
  - id: web
    type: segment-files
    path: events.jsonl
${EVERYONE_SECTIONS}`;

/** Writes a mapping file into `directory` and returns its path. */
export function writeMapping(directory: string, text: string, name = 'mapping.yaml'): string {
  const file = join(directory, name);
  writeFileSync(file, text);
  return file;
}

/** Runs a mapping in-process exactly as `segflow run` does: one workspace, the run job, closed after. */
export async function runMapping(file: string, stateDir: string | undefined, now = () => Date.now(), env: NodeJS.ProcessEnv = process.env): Promise<RunSummary> {
  const loaded = loadMapping(file);
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  const workspace = await openWorkspace({
    mapping: loaded.mapping, mappingFile: file, connectors: createConnectors({ sandboxes: SANDBOXES }), now, env, ...(stateDir !== undefined ? { stateDir } : {}),
  });
  try {
    return await runJob(workspace, { signal: new AbortController().signal });
  } finally {
    await workspace.close();
  }
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
