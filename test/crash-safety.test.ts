import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeWorld, type WriteWorldResult } from '../core/generate/index.js';
import { createRng } from '../core/random/rng.js';
import { measureChildCostMs, timeoutInChildCosts } from './support/child-cost.js';
import { queryState, REPO_ROOT, runMapping, temporaryDirectory, writeMapping } from './support/run-mapping.js';

/**
 * Kill -9 the ingesting process at random points, re-run, and check that the
 * store holds every event exactly once: the cursor is committed in the same
 * DuckDB transaction as the events it covers.
 */
const KILLS = 3;
// What one `segflow run` child costs to start here and now (tsx, DuckDB, the connectors), measured
// once at collection. The line-by-line case measured about 20 such costs, idle or with two busy
// loops beside it; 120 leaves room, and a loaded machine gets more time instead of a timeout.
const CHILD_COST_MS = await measureChildCostMs(['@duckdb/node-api', join(REPO_ROOT, 'connectors', 'sinks', 'harnesses.ts')], REPO_ROOT);
const TIMEOUT_MS = timeoutInChildCosts(120, CHILD_COST_MS);
const SETUP_TIMEOUT_MS = timeoutInChildCosts(40, CHILD_COST_MS);

/**
 * Runs `segflow run` and SIGKILLs it `commitsAfterFirst` commits' worth of
 * work after its first commit, where one commit's worth is the time the
 * child itself took from the start of ingestion to that first commit: the
 * kill lands at the same place in the work however loaded the machine is.
 */
function runUntilKilled(mapping: string, stateDir: string, commitsAfterFirst: number): Promise<{ killed: boolean; stderr: string }> {
  return new Promise((resolve, reject) => {
    const spawned = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'cli', 'main.ts'), 'run', mapping, '--state', stateDir], {
      cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let ingestStarted: number | undefined;
    let armed = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // The stage line; without it (a changed progress format), start-up counts too, which only delays the kill.
      if (ingestStarted === undefined && /\bingest…/.test(stderr)) ingestStarted = performance.now();
      // A progress line is printed after each committed batch (the first one always).
      if (!armed && /ingest web: [\d,]+ read/.test(stderr)) {
        armed = true;
        const commitMs = performance.now() - (ingestStarted ?? spawned);
        setTimeout(() => child.kill('SIGKILL'), commitsAfterFirst * commitMs);
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

// Both modes ingest the same world, so it is generated once (the first beforeAll) and split per mode.
// 800 users (~145,000 events): 7 batches of 20k, or 8 files, of which the 3 killed runs commit about
// one each, so every kill still lands mid-ingest (1,500 users made the same test twice as long).
let sharedWorld: Promise<WriteWorldResult> | undefined;
const theWorld = () => (sharedWorld ??= writeWorld(join(temporaryDirectory('crash-world'), 'world.jsonl'), { seed: 11, users: 800, start: Date.UTC(2025, 0, 1), duplicateRate: 0.01 }));

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
    world = await theWorld();
    const lines = readFileSync(world.path, 'utf8').trimEnd().split('\n');
    mkdirSync(join(directory, 'export'));
    const perFile = Math.ceil(lines.length / files);
    for (let index = 0; index < files; index++) {
      writeFileSync(join(directory, 'export', `part-${index}.jsonl`), `${lines.slice(index * perFile, (index + 1) * perFile).join('\n')}\n`);
    }
    mapping = writeMapping(directory, mappingText('export', bulk));
  }, SETUP_TIMEOUT_MS);

  it(`loses and duplicates nothing across ${KILLS} kills`, async () => {
    const rng = createRng(2026);
    let kills = 0;
    for (let attempt = 0; attempt < KILLS; attempt++) {
      // Up to half a commit (a 20k-event batch, or one file in bulk mode) past the first one.
      const outcome = await runUntilKilled(mapping, stateDir, rng.next() * 0.5);
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
  }, TIMEOUT_MS);
});
