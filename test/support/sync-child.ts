/**
 * A sync in its own process, for the crash test: the parent SIGKILLs it at a
 * random moment, then runs it again to completion. Arguments: harness name,
 * SQLite state path, scenario round, profiles. SINK_CONFIG holds the sink
 * section (JSON) pointing at the parent's simulator.
 */
import { openStateDb } from '../../core/store/state-db.js';
import { HARNESSES } from './harnesses.js';
import { syncOnce } from './sync-once.js';
import { scenarioPopulation, scenarioSpec } from './sync-scenario.js';
import { SCENARIO_FIELDS } from './vendor-expectations.js';

const [name, statePath, round, profiles] = process.argv.slice(2);
const harness = HARNESSES.find((candidate) => candidate.name === name);
if (!harness || !statePath) throw new Error(`usage: sync-child <${HARNESSES.map((candidate) => candidate.name).join('|')}> <state.sqlite> <round> <profiles>`);
const fields = SCENARIO_FIELDS[harness.name]!;
const sink = harness.createSink(JSON.parse(process.env.SINK_CONFIG ?? '{}') as Record<string, unknown>);
const state = openStateDb(statePath);
// The parent starts its kill timer on this line, so kills land in the sync, not in module loading.
process.stdout.write('syncing\n');
const run = await syncOnce({ sink, state, desired: scenarioPopulation(Number(profiles), Number(round), fields), spec: scenarioSpec(fields) });
await sink.close?.();
state.close();
process.stdout.write(`${JSON.stringify({ applied: run.result.applied, created: run.result.created, stopped: run.result.stopped ?? null, failed: run.result.failed, deadLettered: run.result.deadLettered })}\n`);
