/**
 * A sync in its own process, for the crash test: the parent SIGKILLs it at a
 * random moment, then runs it again to completion. The process's entry is
 * compiled per vendor by the parent (sink-crash.test.ts, `childEntry`), so a
 * child loads only its own vendor's client. Arguments: state location
 * (JSON: an SQLite path or a PostgreSQL URL and schema), scenario round,
 * profiles. SINK_CONFIG holds the sink section (JSON) pointing at the
 * parent's simulator.
 */
import { openStateStore, type StateLocation } from '../../core/store/state/open-state-store.js';
import { scenarioPopulation, scenarioSpec, type SinkHarness } from '../../core/sync/simulation/index.js';
import { syncOnce } from '../../core/sync/simulation/sync-once.js';

/** The source of a child's entry: `harnessModule` exports the vendor's `harness`. */
export function childEntry(harnessModule: string): string {
  return `import { harness } from ${JSON.stringify(harnessModule)};
import { runSyncChild } from ${JSON.stringify(import.meta.filename)};
await runSyncChild(harness, process.argv.slice(2));
`;
}

export async function runSyncChild(harness: SinkHarness, [statePath, round, profiles]: string[]): Promise<void> {
  if (!statePath) throw new Error(`usage: sync-child-${harness.name} <state location JSON> <round> <profiles>`);
  const fields = harness.fields;
  const sink = harness.createSink(JSON.parse(process.env.SINK_CONFIG ?? '{}') as Record<string, unknown>);
  const state = await openStateStore(JSON.parse(statePath) as StateLocation);
  // The parent starts its kill timer on this line, so kills land in the sync, not in module loading.
  process.stdout.write('syncing\n');
  const run = await syncOnce({ sink, state, desired: scenarioPopulation(Number(profiles), Number(round), fields), spec: scenarioSpec(fields) });
  await sink.close?.();
  await state.close();
  process.stdout.write(`${JSON.stringify({ applied: run.result.applied, created: run.result.created, stopped: run.result.stopped ?? null, failed: run.result.failed, deadLettered: run.result.deadLettered })}\n`);
}
