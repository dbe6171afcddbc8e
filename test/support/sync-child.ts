/**
 * A sync in its own process, for the crash test: the parent SIGKILLs it at a
 * random moment, then runs it again to completion. Arguments: harness name,
 * state location (JSON: an SQLite path or a PostgreSQL URL and schema),
 * scenario round, profiles. SINK_CONFIG holds the sink section (JSON)
 * pointing at the parent's simulator.
 */
import { openStateStore, type StateLocation } from '../../core/store/state/open-state-store.js';
import { HARNESSES } from '../../connectors/sinks/harnesses.js';
import { scenarioPopulation, scenarioSpec } from '../../core/sync/simulation/index.js';
import { syncOnce } from '../../core/sync/simulation/sync-once.js';

const [name, statePath, round, profiles] = process.argv.slice(2);
const harness = HARNESSES.find((candidate) => candidate.name === name);
if (!harness || !statePath) throw new Error(`usage: sync-child <${HARNESSES.map((candidate) => candidate.name).join('|')}> <state location JSON> <round> <profiles>`);
const fields = harness.fields;
const sink = harness.createSink(JSON.parse(process.env.SINK_CONFIG ?? '{}') as Record<string, unknown>);
const state = await openStateStore(JSON.parse(statePath) as StateLocation);
// The parent starts its kill timer on this line, so kills land in the sync, not in module loading.
process.stdout.write('syncing\n');
const run = await syncOnce({ sink, state, desired: scenarioPopulation(Number(profiles), Number(round), fields), spec: scenarioSpec(fields) });
await sink.close?.();
await state.close();
process.stdout.write(`${JSON.stringify({ applied: run.result.applied, created: run.result.created, stopped: run.result.stopped ?? null, failed: run.result.failed, deadLettered: run.result.deadLettered })}\n`);
