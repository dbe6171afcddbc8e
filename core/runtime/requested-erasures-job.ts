import { createHash } from 'node:crypto';
import { recordErasure } from '../audit/record-events.js';
import { recordErasureRequested } from '../audit/record-suppressions.js';
import { pendingErasures, recordPendingErasure } from '../privacy/pending-erasures.js';
import { recordRequestedErasure, requestedErasures, settleRequestedErasures } from '../privacy/requested-erasures.js';
import { appendSuppressions, suppressionFilePath } from '../privacy/suppression-file.js';
import { addSuppression, suppressionHash } from '../privacy/suppressions.js';
import { eraseLocally } from './erase-locally.js';
import type { Workspace } from './workspace.js';

/**
 * Erasure requests that came through the ingest API (Segment's delete
 * messages): accepted by `segflow serve` (acceptErasureRequests, which
 * suppresses at once and keeps the request as a hash), executed by the next
 * `segflow run` or `segflow forget --resume` (executeRequestedErasures,
 * which erases the person locally and records every sink's deletion as
 * owed, for that job's sync).
 */
export interface DeletionMessage {
  /** The message's own id: Segment retries with the same one, and the request stays one request. */
  messageId: string;
  userId?: string;
  anonymousId?: string;
}

/** Durable when it resolves (suppression file fsync'd, state committed, audit appended): only then is the request acknowledged. */
export async function acceptErasureRequests(workspace: Workspace, sourceId: string, deletions: readonly DeletionMessage[]): Promise<string[]> {
  const requestIds: string[] = [];
  const via = `segment-delete:${sourceId}`;
  for (const deletion of deletions) {
    const identifiers = [deletion.userId, deletion.anonymousId].map((value) => value?.trim() ?? '').filter((value) => value !== '');
    if (identifiers.length === 0) continue;
    const requestId = `delete-${createHash('sha256').update(`${sourceId}:${deletion.messageId}`).digest('hex').slice(0, 16)}`;
    const reason = `erasure request ${requestId} (${via})`;
    appendSuppressions(suppressionFilePath(workspace.baseDir, workspace.env), workspace.env, identifiers, { erasedAt: new Date(workspace.now()).toISOString(), requestId });
    for (const identifier of identifiers) await addSuppression(workspace.state, identifier, reason);
    const known = (await requestedErasures(workspace.state.meta)).some((entry) => entry.requestId === requestId);
    if (!known) {
      await recordRequestedErasure(workspace.state.meta, { requestId, requestedAt: new Date(workspace.now()).toISOString(), via, identifierHashes: identifiers.map(suppressionHash) });
      await recordErasureRequested(workspace, { requestId, via, identifiers });
    }
    requestIds.push(requestId);
  }
  return requestIds;
}

export interface RequestedErasuresOutcome {
  executed: number;
  profiles: number;
  events: number;
  quarantined: number;
}

export async function executeRequestedErasures(workspace: Workspace, options: { journals?: boolean } = {}): Promise<RequestedErasuresOutcome | undefined> {
  const requests = await requestedErasures(workspace.state.meta);
  if (requests.length === 0) return undefined;
  const outcome: RequestedErasuresOutcome = { executed: 0, profiles: 0, events: 0, quarantined: 0 };
  const sinkIds = workspace.mapping.sinks.map((sink) => sink.id);
  const done = new Set<string>();
  for (const request of requests) {
    const local = await eraseLocally(workspace, { kind: 'suppression-hash', hashes: request.identifierHashes }, {
      requestId: request.requestId, suppressionFile: suppressionFilePath(workspace.baseDir, workspace.env), reason: `erasure request ${request.requestId} (${request.via})`,
      ...(options.journals !== undefined ? { journals: options.journals } : {}),
    });
    // Owed before the request is dropped: a crash in between executes it again, which finds nothing left.
    if (sinkIds.length > 0 && workspace.hasEvents()) await recordPendingErasure(workspace.state.meta, { requestId: request.requestId, requestedAt: request.requestedAt, sinks: sinkIds });
    await recordErasure(workspace, { requestId: request.requestId, identifiers: local.suppressed, profiles: local.profiles, events: local.events, quarantined: local.quarantined, sinks: [], pending: await pendingErasures(workspace.state.meta) });
    outcome.executed += 1;
    outcome.profiles += local.profiles;
    outcome.events += local.events;
    outcome.quarantined += local.quarantined;
    done.add(request.requestId);
  }
  await settleRequestedErasures(workspace.state.meta, done);
  return outcome;
}
