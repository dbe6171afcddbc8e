import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeWorld, type WriteWorldResult } from '../core/generate/index.js';
import { createRng } from '../core/random/rng.js';
import { queryState, REPO_ROOT, runMapping, temporaryDirectory, writeMapping } from './support/run-mapping.js';

/**
 * Kill -9 the ingesting process at random points, re-run, and check that the
 * store holds every event exactly once: the cursor is committed in the same
 * DuckDB transaction as the events it covers.
 */
const KILLS = 3;

function runUntilKilled(mapping: string, stateDir: string, delayAfterFirstCommitMs: number): Promise<{ killed: boolean; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'cli', 'main.ts'), 'run', mapping, '--state', stateDir], {
      cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let armed = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // A progress line is printed after each committed batch.
      if (!armed && /ingest web: [\d,]+ read/.test(stderr)) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayAfterFirstCommitMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ killed: signal === 'SIGKILL', stderr }));
  });
}

function mappingText(path: string, bulk: boolean): string {
  return `version: 1
sources:
  - id: web
    type: segment-files
    path: ${path}
    checkpoint_every: 5000
    bulk_load: ${bulk}
ingest:
  batch_events: 20000
features:
  include: [frequency, monetary]
segments:
  - id: buyers
    model: rules
    name: Buyers
    rule: frequency > 0
`;
}

// Line by line: commits every ~20k lines inside one file. Bulk: one
// transaction per file, so the world is split into several files.
describe.each([
  { mode: 'line-by-line', bulk: false, files: 1 },
  { mode: 'bulk file loads', bulk: true, files: 8 },
])('crash safety ($mode): SIGKILL during ingestion, then re-run', ({ bulk, files }) => {
  const directory = temporaryDirectory('crash');
  const stateDir = join(directory, 'state');
  let world: WriteWorldResult;
  let mapping: string;

  beforeAll(async () => {
    world = await writeWorld(join(directory, 'world.jsonl'), { seed: 11, users: 1500, start: Date.UTC(2025, 0, 1), duplicateRate: 0.01 });
    const lines = readFileSync(world.path, 'utf8').trimEnd().split('\n');
    mkdirSync(join(directory, 'export'));
    const perFile = Math.ceil(lines.length / files);
    for (let index = 0; index < files; index++) {
      writeFileSync(join(directory, 'export', `part-${index}.jsonl`), `${lines.slice(index * perFile, (index + 1) * perFile).join('\n')}\n`);
    }
    mapping = writeMapping(directory, mappingText('export', bulk));
  });

  it(`loses and duplicates nothing across ${KILLS} kills`, async () => {
    const rng = createRng(2026);
    let kills = 0;
    for (let attempt = 0; attempt < KILLS; attempt++) {
      const outcome = await runUntilKilled(mapping, stateDir, rng.int(bulk ? 400 : 1500));
      if (outcome.killed) kills++;
    }
    // The world is large enough that every run is killed mid-ingest.
    expect(kills).toBe(KILLS);
    const partial = await queryState(stateDir, 'SELECT count(*) AS n FROM events');
    expect(Number(partial[0]?.n)).toBeGreaterThan(0);
    expect(Number(partial[0]?.n)).toBeLessThan(world.events - world.duplicates);

    const summary = await runMapping(mapping, stateDir);
    const distinct = world.events - world.duplicates;
    expect(summary.events.storedTotal).toBe(distinct);
    const [check] = await queryState(stateDir, `
      SELECT count(*) AS n, count(DISTINCT message_id) AS ids,
             (SELECT read_records FROM source_checkpoints) AS read_records,
             (SELECT accepted_records + duplicate_records + quarantined_records FROM source_checkpoints) AS accounted
      FROM events`);
    expect(Number(check?.n)).toBe(distinct);
    expect(Number(check?.ids)).toBe(distinct);
    // Across all runs, every line was read once and accounted for once.
    expect(Number(check?.read_records)).toBe(world.events);
    expect(Number(check?.accounted)).toBe(world.events);
  });
});
