import type { Workspace } from '../../core/runtime/index.js';
import type { DriftAlert } from '../../core/analysis/drift-alerts.js';
import type { IngestLoader } from './ingest-loader.js';
import type { TriggerLoop } from './trigger-loop.js';

/**
 * What the dashboard's live panel shows, read when asked (nothing is
 * mirrored, so it cannot drift from /metrics): the ingest API's and the
 * loader's totals, the journal backlog, the triggers' totals of this
 * process, the outbox and dead-letter counts of the state, the latest run.
 * Counts only: no profile, key or event content.
 */
export interface LiveSources {
  workspace: Workspace;
  accepted: () => number;
  loader: IngestLoader;
  backlogBytes: () => ReadonlyMap<string, number>;
  triggers: () => TriggerLoop | undefined;
}

export async function liveCounters(sources: LiveSources): Promise<Record<string, number | string | null>> {
  const { state } = sources.workspace;
  const outbox = await state.actions.counts();
  const sum = (outcome: string) => outbox.filter((row) => row.outcome === outcome).reduce((total, row) => total + row.count, 0);
  const latest = (await state.runs.recent(1))[0];
  const totals = sources.triggers()?.runtime.totals;
  return {
    events_accepted: sources.accepted(),
    events_loaded: sources.loader.totals.loaded,
    journal_backlog_bytes: [...sources.backlogBytes().values()].reduce((total, bytes) => total + bytes, 0),
    triggers_fired: totals?.actions ?? null,
    triggers_held: totals?.held ?? null,
    actions_delivered: sum('delivered'),
    actions_owed: sum('owed'),
    actions_dead: sum('dead'),
    sync_dead_letters: (await state.deadLetters.open()).length,
    last_run: latest === undefined ? null : `${latest.runId} (${latest.status}${latest.finishedAt ? `, ${latest.finishedAt}` : ''})`,
  };
}

/** The latest finished run's drift alerts, as the report shows them, and the loader's failure if it is failing. */
export async function liveAlerts(sources: LiveSources): Promise<string[]> {
  const alerts: string[] = [];
  if (sources.loader.totals.lastError !== null) alerts.push(`journal loads are failing (retried): ${sources.loader.totals.lastError}`);
  const latest = (await sources.workspace.state.runs.recent(5)).find((record) => record.status === 'succeeded');
  const analysis = (latest?.summary as { analysis?: { alerts?: DriftAlert[] } } | undefined)?.analysis;
  for (const alert of analysis?.alerts ?? []) alerts.push(alert.message);
  return alerts;
}
