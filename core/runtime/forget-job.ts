import { recordErasure } from '../audit/record-events.js';
import { UserError } from '../errors/user-error.js';
import { deletionOutcome, finishedSinks, type SinkDeletion } from '../privacy/deletion-outcome.js';
import { pendingErasures, recordPendingErasure, settlePendingErasures, type PendingErasure } from '../privacy/pending-erasures.js';
import { readSuppressionFile, suppressionFilePath } from '../privacy/suppression-file.js';
import { loadMappingSuppressions } from '../privacy/suppressions.js';
import { isSuppressedJsonText } from '../privacy/suppressed-event.js';
import { eraseFromJournals } from '../privacy/physical-erasure.js';
import { normalizeKey } from '../sync/desired-state.js';
import { eraseLocally, type LocalSelector } from './erase-locally.js';
import { maskedIdentifier } from '../privacy/masked-identifier.js';
import { executeRequestedErasures, type RequestedErasuresOutcome } from './requested-erasures-job.js';
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
  /** One identifier: an email (matched on the `email` trait), a userId, an anonymousId, or another key (a sink matched on another trait). */
  email?: string;
  userId?: string;
  anonymousId?: string;
  key?: string;
  /** Erase locally and record every sink's deletion as owed, without contacting the sinks. */
  localOnly?: boolean;
  /** Settle what earlier erasures still owe the sinks, and execute requests from the ingest API (with or without a new identifier). */
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
  /** What the request named, masked for printing (`userId#1a2b3c4d`). */
  subject?: string;
  /** What the identity graph resolved the request to: identifiers now suppressed, by kind (values never printed). */
  matched?: { userIds: number; anonymousIds: number; emails: number };
  /** Requests that came through the ingest API (Segment delete messages), executed by this job. */
  requested?: RequestedErasuresOutcome;
  /** `--resume`: lines of suppressed people blanked in the ingest API's journals. */
  journalLines?: number;
  /** Set when a sync ran. */
  sync?: SyncJobResult;
  /** Per sink, what the sync did about the deletions. */
  sinks: SinkDeletion[];
  /** Every vendor deletion still owed, this request's and earlier ones. */
  pending: PendingErasure[];
}

export async function forgetJob(workspace: Workspace, request: ForgetRequest, signal: AbortSignal): Promise<ForgetResult> {
  const selector = selectorOf(request);
  if (selector === undefined && request.resume !== true) throw new UserError('forget needs --email ADDRESS, --user-id ID or --anonymous-id ID (or --key VALUE for sinks matched on another trait), or --resume');
  const sinkIds = workspace.mapping.sinks.map((sink) => sink.id);
  if (request.localOnly !== true) await refuseUnreachableSinks(workspace);
  const filePath = suppressionFilePath(workspace.baseDir, workspace.env);
  const result: ForgetResult = { alreadySuppressed: false, profiles: 0, events: 0, quarantined: 0, suppressionFile: filePath, unkeyed: false, sinks: [], pending: [] };
  let suppressed: string[] = [];
  if (selector !== undefined) {
    const requestId = newRunId(workspace.now(), 'forget-');
    result.requestId = requestId;
    result.subject = maskedIdentifier(selector.kind, selector.value, workspace.env);
    const local = await eraseLocally(workspace, selector, { requestId, suppressionFile: filePath, reason: `erasure request ${requestId} (segflow forget)` });
    Object.assign(result, { profiles: local.profiles, events: local.events, quarantined: local.quarantined, alreadySuppressed: local.alreadySuppressed });
    result.matched = { userIds: local.match.userIds, anonymousIds: local.match.anonymousIds, emails: local.match.emails.length };
    suppressed = local.suppressed;
    // Owed before the sync is tried: a crash or a failing sink leaves it owed, never forgotten.
    if (sinkIds.length > 0 && workspace.hasEvents()) {
      await recordPendingErasure(workspace.state.meta, { requestId, requestedAt: new Date(workspace.now()).toISOString(), sinks: sinkIds });
    }
  }
  if (request.resume === true) {
    const requested = await executeRequestedErasures(workspace);
    if (requested !== undefined) result.requested = requested;
    // Runs erase requested people without touching the journals (`serve` may be writing them): their lines go here,
    // found by the suppression list, so no raw identifier is needed.
    const suppressions = await loadMappingSuppressions(workspace);
    if (suppressions.size > 0) result.journalLines = eraseFromJournals(workspace.stateDir, (line) => isSuppressedJsonText(suppressions, line));
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
  await recordErasure(workspace, { ...result, identifiers: suppressed });
  return result;
}

function selectorOf(request: ForgetRequest): (LocalSelector & { value: string; kind: 'email' | 'userId' | 'anonymousId' | 'key' }) | undefined {
  const given = ([['email', request.email], ['userId', request.userId], ['anonymousId', request.anonymousId], ['key', request.key]] as const).filter(([, value]) => value !== undefined);
  if (given.length > 1) throw new UserError(`forget takes one identifier per request, got ${given.map(([kind]) => kind).join(' and ')}: run it once for each`);
  const [kind, raw] = given[0] ?? [];
  if (kind === undefined || raw === undefined) return undefined;
  const value = normalizeKey(kind === 'email' ? 'email' : 'key', raw);
  if (value === null) throw new UserError('forget: the identifier is empty');
  return { kind, value };
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
