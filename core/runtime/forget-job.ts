import { recordErasure } from '../audit/record-events.js';
import { UserError } from '../errors/user-error.js';
import { deletionOutcome, finishedSinks, type SinkDeletion } from '../privacy/deletion-outcome.js';
import { eraseProfiles, findErasure, quarantineMatcher, type ErasureTarget } from '../privacy/erase-profile.js';
import { pendingErasures, recordPendingErasure, settlePendingErasures, type PendingErasure } from '../privacy/pending-erasures.js';
import { eraseFromJournals, eraseFromQuarantineFiles } from '../privacy/physical-erasure.js';
import { appendSuppressions, readSuppressionFile, suppressionFilePath } from '../privacy/suppression-file.js';
import { addSuppression } from '../privacy/suppressions.js';
import { normalizeKey } from '../sync/desired-state.js';
import { stitchProfiles } from '../identity/stitch-profiles.js';
import { newRunId } from './run-id.js';
import { syncJob, type SyncJobResult } from './sync-job.js';
import type { Workspace } from './workspace.js';

/**
 * An erasure request (`segflow forget`). Every sink is wired first (its
 * credentials resolved), and one that cannot be stops the job before
 * anything is touched, unless `localOnly`. Then the identifiers are hashed
 * into the shared suppression file (and the state's list), the person's
 * events, identity, features, memberships, quarantined rows and dead
 * letters go, each sink's deletion is recorded as owed, and a sync deletes
 * the record from every sink that holds it; sinks it could not finish stay
 * owed for `forget --resume` or the next run. The bytes are rewritten away
 * by the caller once the stores are closed (core/privacy/physical-erasure.ts).
 */
export interface ForgetRequest {
  /** An email (matched on the `email` trait) or another key (a sink matched on another trait). */
  email?: string;
  key?: string;
  /** Erase locally and record every sink's deletion as owed, without contacting the sinks. */
  localOnly?: boolean;
  /** Settle what earlier erasures still owe the sinks (with or without a new identifier). */
  resume?: boolean;
}

export interface ForgetResult {
  requestId?: string;
  alreadySuppressed: boolean;
  profiles: number;
  events: number;
  quarantined: number;
  suppressionFile: string;
  /** Set when the suppression file's hashes are not keyed (no SEGFLOW_PII_KEY). */
  unkeyed: boolean;
  /** Set when a sync ran. */
  sync?: SyncJobResult;
  /** Per sink, what the sync did about the deletions. */
  sinks: SinkDeletion[];
  /** Every vendor deletion still owed, this request's and earlier ones. */
  pending: PendingErasure[];
}

export async function forgetJob(workspace: Workspace, request: ForgetRequest, signal: AbortSignal): Promise<ForgetResult> {
  const raw = request.email ?? request.key;
  if (raw === undefined && request.resume !== true) throw new UserError('forget needs --email ADDRESS (or --key VALUE for sinks matched on another trait), or --resume');
  const key = raw === undefined ? undefined : normalizeKey(request.email !== undefined ? 'email' : 'key', raw);
  if (key === null) throw new UserError('forget: the identifier is empty');
  const sinkIds = workspace.mapping.sinks.map((sink) => sink.id);
  if (request.localOnly !== true) await refuseUnreachableSinks(workspace);
  const filePath = suppressionFilePath(workspace.baseDir, workspace.env);
  const result: ForgetResult = { alreadySuppressed: false, profiles: 0, events: 0, quarantined: 0, suppressionFile: filePath, unkeyed: false, sinks: [], pending: [] };
  if (key !== undefined) {
    const requestId = newRunId(workspace.now(), 'forget-');
    result.requestId = requestId;
    Object.assign(result, await eraseLocally(workspace, key, request.email !== undefined, requestId, filePath));
    // Owed before the sync is tried: a crash or a failing sink leaves it owed, never forgotten.
    if (sinkIds.length > 0 && workspace.hasEvents()) {
      await recordPendingErasure(workspace.state.meta, { requestId, requestedAt: new Date(workspace.now()).toISOString(), sinks: sinkIds });
    }
  }
  result.unkeyed = readSuppressionFile(filePath, workspace.env)?.hasher.header.scheme === 'sha256-salted';
  const owed = await pendingErasures(workspace.state.meta);
  if (request.localOnly !== true && owed.length > 0 && workspace.hasEvents()) {
    result.sync = await syncJob(workspace, { dryRun: false, signal });
    result.sinks = result.sync.sinks.map(deletionOutcome);
    result.pending = await settlePendingErasures(workspace.state.meta, finishedSinks(result.sinks));
  } else {
    result.pending = owed;
  }
  await recordErasure(workspace, { ...result, identifiers: key === undefined ? [] : [key] });
  return result;
}

async function eraseLocally(workspace: Workspace, key: string, isEmail: boolean, requestId: string, filePath: string) {
  const reason = `erasure request ${requestId} (segflow forget)`;
  const duck = isEmail && workspace.hasEvents() ? (await workspace.events()).connection : undefined;
  // Events stored since the last run (the ingest API's loads) are not in identity_map yet: stitch them first,
  // so every identifier and event of the person is found, also before any run.
  if (duck) await stitchProfiles(duck, workspace.state, workspace.mapping.identity.merge_user_ids, requestId, workspace.now);
  const target: ErasureTarget = duck ? await findErasure(duck, key) : { profileIds: [], identifiers: [] };
  // Durable before anything is deleted: the shared file first (it outlives this state), then the state's own list.
  const added = appendSuppressions(filePath, workspace.env, [key, ...target.identifiers], { erasedAt: new Date(workspace.now()).toISOString(), requestId });
  const addedToState = await addSuppression(workspace.state, key, reason);
  // Sinks keyed by userId or another trait are found through the profile.
  for (const profileId of target.profileIds) await addSuppression(workspace.state, `profile:${profileId}`, reason);
  const erased = duck && target.profileIds.length > 0 ? await eraseProfiles(duck, workspace.state, target, key) : { profiles: 0, events: 0, quarantined: 0 };
  // Dead letters hold the raw record; quarantine files a sample of it.
  await workspace.state.deadLetters.purge(key, target.profileIds);
  // Run summaries quote failure samples and example changes by profile id.
  await workspace.state.runs.scrub([key, ...target.identifiers], '[erased]');
  const quarantinedLines = isEmail ? eraseFromQuarantineFiles(workspace.stateDir, quarantineMatcher(target, key)) : 0;
  // The ingest API's journal still holds the raw messages of its current file.
  if (isEmail) eraseFromJournals(workspace.stateDir, quarantineMatcher(target, key));
  return { ...erased, quarantined: Math.max(erased.quarantined, quarantinedLines), alreadySuppressed: added === 0 && !addedToState };
}

/** Every sink's credentials, all checked before anything is touched; all problems listed at once. */
async function refuseUnreachableSinks(workspace: Workspace): Promise<void> {
  const problems: string[] = [];
  for (const sink of workspace.mapping.sinks) {
    try {
      await (await workspace.connectors.sinks(workspace.mapping, { only: sink.id, env: workspace.env })).close();
    } catch (error) {
      problems.push(`  - sink "${sink.id}" (${sink.type}): ${(error as Error).message}`);
    }
  }
  if (problems.length === 0) return;
  throw new UserError(`forget: nothing was erased, because ${problems.length === 1 ? 'a sink cannot' : `${problems.length} sinks cannot`} be reached with the configured credentials:\n${problems.join('\n')}\n`
    + `fix the credentials and run forget again, or add --local-only to erase the local data now and record the vendor deletions as pending (settled by \`segflow forget ${workspace.mappingFile} --resume\` or the next run)`);
}
