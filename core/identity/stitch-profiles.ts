import type { DuckDBConnection } from '@duckdb/node-api';
import type { StateStore } from '../store/state/state-store.js';
import { createIdentityGraph, type MergePolicy } from './identity-graph.js';

export interface StitchSummary {
  profiles: number;
  identifiers: number;
  newLinks: number;
  merges: number;
  refusedLinks: number;
}

/**
 * Extends the persisted identity graph with the links carried by events
 * ingested since the last run, then publishes `identity_map(id_key,
 * profile_id)` to DuckDB, through which features attribute every event. A
 * merge thereby re-attributes earlier events with no rewrite of the events.
 */
export async function stitchProfiles(duck: DuckDBConnection, state: StateStore, policy: MergePolicy, runId: string, now: () => number = Date.now): Promise<StitchSummary> {
  const graph = createIdentityGraph(policy);
  const previous = new Map<string, string>();
  for (const node of await state.identity.nodes()) {
    previous.set(node.identifier, node.profileId);
    graph.assign(node.identifier, node.profileId);
  }
  let lastSeq = await state.identity.lastSeq();
  // The event store was reset or truncated behind the graph's back: stitch
  // everything again rather than leave new events unattributed.
  const maxStored = await duck.runAndReadAll('SELECT coalesce(max(seq), 0) FROM events');
  if (Number(maxStored.getRows()[0]?.[0] ?? 0) < lastSeq) lastSeq = 0;
  // One row per distinct combination, first seen (by event time) first: the
  // graph's survivor rules depend on which identity came first. Event time,
  // then the identifiers, make the order independent of how the events were
  // loaded. Aliases go last, so their previousId resolves against every
  // userId this run knows.
  const reader = await duck.runAndReadAll(`
    SELECT user_id, anonymous_id, device_id, previous_id, type = 'alias' AS is_alias, max(seq) AS last
    FROM events WHERE seq > $1
    GROUP BY ALL ORDER BY is_alias, min(ts), user_id NULLS FIRST, anonymous_id NULLS FIRST, device_id NULLS FIRST, previous_id NULLS FIRST`, [lastSeq]);
  let maxSeq = lastSeq;
  const rows = reader.getRows();
  for (const [userId, anonymousId, deviceId, previousId, isAlias, last] of rows) {
    const identifiers: string[] = [];
    if (userId !== null) identifiers.push(`u:${String(userId)}`);
    if (anonymousId !== null) identifiers.push(`a:${String(anonymousId)}`);
    if (deviceId !== null) identifiers.push(`d:${String(deviceId)}`);
    if (isAlias === true && previousId !== null && userId !== null) {
      const prior = String(previousId);
      const priorKey = previous.has(`u:${prior}`) || graph.profileOf(`u:${prior}`) !== undefined ? `u:${prior}` : `a:${prior}`;
      graph.alias(`u:${String(userId)}`, priorKey, identifiers.slice(1));
    } else {
      graph.link({ identifiers, alias: false });
    }
    maxSeq = Math.max(maxSeq, Number(last));
  }
  const result = graph.result(previous);

  const assignments: Array<readonly [string, string]> = [];
  for (const [identifier, profile] of result.profileOf) {
    if (previous.get(identifier) !== profile) assignments.push([identifier, profile]);
  }
  await state.identity.save({ assignments, merges: result.merges, runId, at: new Date(now()).toISOString(), lastSeq: maxSeq });

  await duck.run('CREATE OR REPLACE TABLE identity_map (id_key VARCHAR NOT NULL, profile_id VARCHAR NOT NULL)');
  const appender = await duck.createAppender('identity_map');
  const profiles = new Set<string>();
  for (const [identifier, profile] of result.profileOf) {
    profiles.add(profile);
    if (identifier.startsWith('d:')) continue; // events are keyed by u:/a: only
    appender.appendVarchar(identifier);
    appender.appendVarchar(profile);
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
  return { profiles: profiles.size, identifiers: result.profileOf.size, newLinks: rows.length, merges: result.merges.length, refusedLinks: result.refusedLinks };
}
