/**
 * bench/sync: 100k changed profiles per sink against its simulator at the
 * vendor's published limits. Prints records/s as a fraction of the ceiling
 * the limits allow, API calls against the minimum possible, and the 429s
 * our own pacing caused (simulator-counted `rateLimited`; injected faults
 * are off here). Each simulator runs in its own process (simulator-process.ts
 * says why).
 *
 *   npx tsx bench/sync/run.ts [--profiles 100000] [--vendors hubspot,salesforce,marketo,segment] [--json]
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HARNESSES } from '../../connectors/sinks/harnesses.js';
import { scenarioPopulation, scenarioSpec, type SimulatorStats } from '../../core/sync/simulation/index.js';
import { openEphemeralStateStore } from '../../core/store/state/open-state-store.js';
import { minimumCalls } from '../../core/sync/batching.js';
import { syncOnce } from '../../core/sync/simulation/sync-once.js';
import { ceilingFor, type Ceiling } from './ceiling.js';

const { values } = parseArgs({
  options: {
    profiles: { type: 'string', default: '100000' },
    vendors: { type: 'string', default: HARNESSES.map((harness) => harness.name).join(',') },
    json: { type: 'boolean', default: false },
  },
});
const profiles = Number(values.profiles);
const wanted = new Set(values.vendors.split(','));

interface Row {
  vendor: string;
  records: number;
  seconds: number;
  recordsPerSecond: number;
  ceiling: Ceiling;
  calls: number;
  minimumCalls: number;
  selfInflicted429: number;
  applied: number;
  failed: number;
}

const SALESFORCE_LATENCY_MS = 150;
const SIMULATOR_PROCESS = join(import.meta.dirname, 'simulator-process.ts');
const rows: Row[] = [];
for (const harness of HARNESSES.filter((candidate) => wanted.has(candidate.name))) {
  // Published limits (the simulators' defaults); Salesforce has no request-rate limit, so its
  // calls take a realistic 150 ms + 1.5 ms per record and its ceiling is concurrency-bound.
  const limits = harness.name === 'salesforce' ? { latencyMs: SALESFORCE_LATENCY_MS } : undefined;
  const simulator = await startSimulatorProcess(harness.name, limits);
  try {
    const sink = harness.createSink(simulator.sinkConfig);
    const fields = harness.fields;
    // Records only (no list phase): the ceiling the issue defines is records through the upsert endpoint.
    const desired = scenarioPopulation(profiles, 0, fields).map((record) => ({ ...record, lists: new Set<string>() }));
    const spec = { ...scenarioSpec(fields), lists: [] };
    const state = openEphemeralStateStore();
    // The simulator process made its setup calls: let them leave the vendor's window before measuring.
    const window = sink.capabilities().rateLimit;
    if (window) await new Promise((resolve) => setTimeout(resolve, window.intervalMs + 100));
    await fetch(`${simulator.control}/reset`, { method: 'POST' });
    process.stderr.write(`${harness.name}: syncing ${profiles.toLocaleString('en-US')} profiles at the published limits…\n`);
    const started = performance.now();
    const run = await syncOnce({ sink, state, desired, spec });
    const seconds = (performance.now() - started) / 1000;
    const stats = (await (await fetch(`${simulator.control}/stats`)).json()) as SimulatorStats;
    const capabilities = sink.capabilities();
    const upserts = run.plan.changes.filter((change) => change.op === 'upsert');
    rows.push({
      vendor: harness.name,
      records: upserts.length,
      seconds,
      recordsPerSecond: upserts.length / seconds,
      ceiling: ceilingFor(capabilities, upserts.length, { latencyMs: SALESFORCE_LATENCY_MS, perRecordMs: SALESFORCE_LATENCY_MS / 100 }),
      // Every call of the sync, schema checks included (a handful).
      calls: run.calls,
      minimumCalls: minimumCalls(upserts, capabilities),
      selfInflicted429: stats.rateLimited,
      applied: run.result.applied,
      failed: run.result.failed + run.result.deadLettered,
    });
    await sink.close?.();
    await state.close();
  } finally {
    simulator.stop();
  }
}

function startSimulatorProcess(vendor: string, limits?: Record<string, number>): Promise<{ url: string; sinkConfig: Record<string, unknown>; control: string; stop(): void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SIMULATOR_PROCESS, vendor, ...(limits ? [JSON.stringify(limits)] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const newline = output.indexOf('\n');
      if (newline < 0) return;
      const started = JSON.parse(output.slice(0, newline)) as { url: string; sinkConfig: Record<string, unknown>; control: string };
      resolve({ ...started, stop: () => child.kill('SIGTERM') });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`simulator process for ${vendor} exited (${code}) before starting`)));
  });
}

if (values.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
else {
  const pct = (value: number) => `${(100 * value).toFixed(1)}%`;
  process.stdout.write('\nvendor       records   seconds   records/s   ceiling/s   of ceiling   of finite-run ceiling   calls (min)   over min   self 429s\n');
  for (const row of rows) {
    process.stdout.write(
      `${row.vendor.padEnd(11)} ${row.records.toLocaleString('en-US').padStart(8)} ${row.seconds.toFixed(1).padStart(9)} ${row.recordsPerSecond.toFixed(0).padStart(11)} ${row.ceiling.recordsPerSecond.toFixed(0).padStart(11)} ${pct(row.recordsPerSecond / row.ceiling.recordsPerSecond).padStart(12)} ${pct(row.ceiling.finiteRunSeconds / row.seconds).padStart(23)} ${`${row.calls} (${row.minimumCalls})`.padStart(13)} ${pct(row.calls / row.minimumCalls - 1).padStart(10)} ${String(row.selfInflicted429).padStart(11)}\n`,
    );
    process.stdout.write(`            ceiling: ${row.ceiling.explanation}; applied ${row.applied}, failed ${row.failed}\n`);
  }
}
