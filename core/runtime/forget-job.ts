import { UserError } from '../errors/user-error.js';
import { eraseProfilesByEmail } from '../privacy/erase-profile.js';
import { addSuppression } from '../privacy/suppressions.js';
import { normalizeKey } from '../sync/desired-state.js';
import { syncJob, type SyncJobResult } from './sync-job.js';
import type { Workspace } from './workspace.js';

/**
 * An erasure request (`segflow forget`). The sinks are wired first, so a
 * missing credential stops the job before anything is recorded; then the
 * key goes on the suppression list (as a hash), every profile that carried
 * the email loses its events, identity links, features and memberships in the
 * local stores, its dead letters go, and a sync deletes the record from every
 * sink that holds it (or empties it where the vendor has no delete).
 */
export interface ForgetRequest {
  /** An email (matched on the `email` trait) or another key (a sink matched on another trait). */
  email?: string;
  key?: string;
}

export interface ForgetResult {
  alreadySuppressed: boolean;
  profiles: number;
  events: number;
  /** Set when the mapping has sinks. */
  sync?: SyncJobResult;
}

export async function forgetJob(workspace: Workspace, request: ForgetRequest, signal: AbortSignal): Promise<ForgetResult> {
  const raw = request.email ?? request.key;
  if (raw === undefined) throw new UserError('forget needs --email ADDRESS (or --key VALUE for sinks matched on another trait)');
  const key = normalizeKey(request.email !== undefined ? 'email' : 'key', raw);
  if (key === null) throw new UserError('forget: the identifier is empty');
  // Fail on credentials before recording anything: an erasure is done everywhere or not started.
  if (workspace.mapping.sinks.length > 0) await (await workspace.connectors.sinks(workspace.mapping, { env: workspace.env })).close();
  const reason = 'erasure request (segflow forget)';
  const added = await addSuppression(workspace.state, key, reason);
  let profiles = 0;
  let events = 0;
  if (request.email !== undefined && workspace.hasEvents()) {
    const erased = await eraseProfilesByEmail((await workspace.events()).connection, workspace.state, key);
    // Sinks keyed by userId or another trait are found through the profile; dead letters hold the raw record.
    for (const profileId of erased.profileIds) await addSuppression(workspace.state, `profile:${profileId}`, reason);
    await workspace.state.deadLetters.purge(key, erased.profileIds);
    profiles = erased.profiles;
    events = erased.events;
  } else {
    await workspace.state.deadLetters.purge(key, []);
  }
  if (workspace.mapping.sinks.length === 0 || !workspace.hasEvents()) return { alreadySuppressed: !added, profiles, events };
  const sync = await syncJob(workspace, { dryRun: false, signal });
  return { alreadySuppressed: !added, profiles, events, sync };
}
