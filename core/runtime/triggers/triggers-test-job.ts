import { consentPolicyOf } from '../../privacy/consent-decision.js';
import { UserError } from '../../errors/user-error.js';
import { redactEmails } from '../../privacy/redact-text.js';
import { loadMappingSuppressions } from '../../privacy/suppressions.js';
import { compileTriggers } from '../../triggers/compile-triggers.js';
import { dryRunTriggers, type DryRunReport } from '../../triggers/dry-run.js';
import type { ProfileEvent } from '../../triggers/trigger-types.js';
import type { Workspace } from '../workspace.js';
import { readEventsAfter, START_OF_FEED } from './event-feed.js';
import { LiveProfiles } from './live-profiles.js';

/**
 * `segflow triggers test FILE`: the mapping's triggers replayed over every
 * stored event, with a throwaway engine state and nothing sent. The engine
 * decides on event time, so the counts are what the live engine would have
 * done over the same history (core/triggers/dry-run.ts). Waits the history
 * leaves open are decided only up to `until` (default: the newest event).
 */
export interface TriggersTestOptions {
  /** Advance the event clock to this time (ms) at the end. */
  until?: number;
  examplesPerReason?: number;
  /** Events per engine batch. @default 5_000 */
  batchEvents?: number;
}

export interface TriggersTestResult {
  events: number;
  /** Newest event time replayed (ms), when any. */
  lastEventAt: number | undefined;
  report: DryRunReport;
}

export async function triggersTestJob(workspace: Workspace, options: TriggersTestOptions = {}): Promise<TriggersTestResult> {
  const config = workspace.mapping.triggers;
  if (config === undefined || config.rules.length === 0) throw new UserError(`${workspace.mappingFile} has no triggers: add a "triggers" section with rules (see mappings/examples/live.yaml)`);
  if (!workspace.hasEvents()) throw new UserError(`no events yet in ${workspace.stateDir}: run \`segflow run ${workspace.mappingFile}\` (or serve) first`);
  const duck = (await workspace.events()).connection;
  const triggers = compileTriggers(config);
  const profiles = new LiveProfiles(duck, workspace.state, [...new Set(triggers.rules.map((rule) => rule.purpose))],
    () => loadMappingSuppressions({ state: workspace.state, baseDir: workspace.baseDir, env: workspace.env }), consentPolicyOf(workspace.mapping));
  await profiles.refresh();
  const batchEvents = options.batchEvents ?? 5_000;
  let events = 0;
  let lastEventAt: number | undefined;
  async function* history(): AsyncGenerator<ProfileEvent[]> {
    for (let cursor = START_OF_FEED; ;) {
      const page = await readEventsAfter(duck, cursor, batchEvents);
      if (page.events.length === 0) return;
      cursor = page.cursor;
      events += page.events.length;
      yield page.events.map((fed) => {
        lastEventAt = Math.max(lastEventAt ?? fed.event.timestamp, fed.event.timestamp);
        const profileId = profiles.resolve(fed);
        profiles.observe(profileId, fed);
        return { profileId, event: fed.event };
      });
    }
  }
  const report = await dryRunTriggers({
    triggers, profiles, history: history(), now: workspace.now,
    ...(options.until !== undefined ? { until: options.until } : {}),
    ...(options.examplesPerReason !== undefined ? { examplesPerReason: options.examplesPerReason } : {}),
  });
  // Examples are printed: payload values may hold traits (an email), so they are masked.
  for (const action of report.examples.fired) {
    action.payload = Object.fromEntries(Object.entries(action.payload).map(([field, value]) => [field, typeof value === 'string' ? redactEmails(value) : value]));
  }
  return { events, lastEventAt, report };
}
