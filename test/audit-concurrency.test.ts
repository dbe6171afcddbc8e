import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyTrail } from '../core/audit/audit-trail.js';
import { openStateStore } from '../core/store/state/open-state-store.js';
import { REPO_ROOT } from './support/run-mapping.js';
import { STATE_DRIVERS } from './support/state-drivers.js';

/**
 * Workers in separate processes appending to one trail at once (the shared
 * state of several `segflow serve` workers): every entry lands, seq has no
 * gap and no fork, and the chain verifies.
 */
/** Enough that the workers' appends overlap (SQLite appends take well under a millisecond each). */
const PER_WORKER = 100;
const CHILD = join(REPO_ROOT, 'test', 'support', 'audit-append-child.ts');

interface Worker { process: ChildProcessWithoutNullStreams; output: () => string; stderr: () => string }

function startWorker(location: object, count: number, name: string): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(location), String(count), name], { cwd: REPO_ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { process: child, output: () => stdout, stderr: () => stderr };
}

async function untilReady(worker: Worker): Promise<void> {
  while (!worker.output().includes('ready\n')) {
    if (worker.process.exitCode !== null) throw new Error(`worker exited before it was ready: ${worker.stderr()}`);
    await once(worker.process.stdout, 'data');
  }
}

describe.each(STATE_DRIVERS)('audit trail across processes: $name', (driver) => {
  it('three processes appending at once leave one chain, every entry in it', async () => {
    const location = driver.location('audit-processes');
    // Created (migrated) once first, so the children race on appends rather than on the schema.
    await (await openStateStore(location)).close();
    const workers = ['a', 'b', 'c'].map((name) => startWorker(location, PER_WORKER, name));
    await Promise.all(workers.map(untilReady));
    const exited = workers.map((worker) => once(worker.process, 'close'));
    for (const worker of workers) worker.process.stdin.end('go\n');
    await Promise.all(exited);
    expect(workers.map((worker) => worker.output())).toEqual([...Array(3).fill(`ready\nappended ${PER_WORKER}\n`)]);
    const state = await openStateStore(location);
    try {
      const entries = await state.audit.entries();
      expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: 3 * PER_WORKER }, (_, index) => index + 1));
      expect(new Set(entries.map((entry) => entry.actor))).toEqual(new Set(['a', 'b', 'c']));
      expect(await verifyTrail(state, {})).toMatchObject({ intact: true, entries: 3 * PER_WORKER });
    } finally {
      await state.close();
    }
  });
});
