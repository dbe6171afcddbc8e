import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRng } from '../core/random/rng.js';
import { HARNESSES } from '../connectors/sinks/harnesses.js';
import { scenarioPopulation, scenarioSpec, type RunningSimulator } from '../core/sync/simulation/index.js';
import { temporaryDirectory } from './support/temporary-directory.js';
import { expectVendorMatches } from './support/vendor-expectations.js';

/**
 * SIGKILL a sync at random points (planning, list creation, mid-batch,
 * between the vendor's answer and the acknowledgement), re-run it, and
 * check after every re-run that the vendor equals the desired state with no
 * record created twice. Every run moves to a new segmentation (10% churn,
 * 3% leaving, 3% new), so each has creates, updates, adds and removals in
 * flight when it dies, and the run after a crash wants something else again.
 */
const KILLS = Number(process.env.SEGFLOW_CRASH_POINTS ?? 20);
const PROFILES = 1_500;
const CHILD = join(import.meta.dirname, 'support', 'sync-child.ts');

interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From "syncing" to exit. */
  syncMs: number;
}

function runChild(args: string[], config: Record<string, unknown>, killAfterMs?: number): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { env: { ...process.env, SINK_CONFIG: JSON.stringify(config) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let started = 0;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (started === 0 && stdout.includes('syncing\n')) {
        started = performance.now();
        if (killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: stdout.replace('syncing\n', ''), stderr, syncMs: started === 0 ? 0 : performance.now() - started });
    });
  });
}

describe.each(HARNESSES)('sink crash safety: $name', (harness) => {
  let simulator: RunningSimulator | undefined;
  afterEach(async () => {
    await simulator?.stop();
    simulator = undefined;
  });

  it(`converges after ${KILLS} SIGKILLs with no duplicate and no lost removal`, async () => {
    // Latency makes a run last long enough (about a second) for kills to land mid-batch.
    simulator = await harness.startSimulator({ seed: 3, limits: { requests: 2_000, intervalMs: 10_000, latencyMs: 25 } });
    const statePath = JSON.stringify({ driver: 'sqlite', path: join(temporaryDirectory('sink-crash'), 'state.sqlite') });
    const fields = harness.fields;
    // The admin's one-time setup (Salesforce fields, HubSpot properties, lists) before any sync runs.
    const setup = harness.createSink(simulator.sinkConfig);
    await setup.prepare(scenarioSpec(fields), { request: (_label, call) => call(), signal: new AbortController().signal, now: Date.now });
    await setup.close?.();
    const rng = createRng(2026);
    const everDesired = new Set<string>();
    let killedMidRun = 0;
    // Kills are spread over a window that adapts to how long runs take here:
    // a run that finished before its kill shrinks it, a killed one widens it.
    let windowMs = 1_000;
    // Each point: a run toward the next segmentation is killed, then a run toward the one after
    // finishes. Adds the killed run sent but never acknowledged must be removed by the finishing run.
    let round = 0;
    for (let point = 0; point < KILLS; point++) {
      const killAt = rng.int(windowMs);
      const killed = await runChild([harness.name, statePath, String(round + 1), String(PROFILES)], simulator.sinkConfig, killAt);
      if (killed.signal === 'SIGKILL') {
        killedMidRun += 1;
        windowMs = Math.min(5_000, windowMs * 1.1);
      } else {
        expect(killed.code, killed.stderr).toBe(0);
        windowMs = Math.max(50, killed.syncMs * 0.8);
      }
      round += 2;
      const finished = await runChild([harness.name, statePath, String(round), String(PROFILES)], simulator.sinkConfig);
      expect(finished.code, finished.stderr).toBe(0);
      expect(JSON.parse(finished.stdout)).toMatchObject({ stopped: null, failed: 0, deadLettered: 0 });
      for (const record of scenarioPopulation(PROFILES, round - 1, fields)) everDesired.add(record.key);
      const desired = scenarioPopulation(PROFILES, round, fields);
      for (const record of desired) everDesired.add(record.key);
      const current = new Set(desired.map((record) => record.key));
      expectVendorMatches(simulator.view, harness, desired, [...everDesired].filter((key) => !current.has(key)));
    }
    // Most kills must land inside a run, or the test proves little.
    expect(killedMidRun).toBeGreaterThanOrEqual(Math.ceil(KILLS * 0.6));
  });
});
