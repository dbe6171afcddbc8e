import type { SinkDeletion } from '../privacy/deletion-outcome.js';
import type { PendingErasure } from '../privacy/pending-erasures.js';
import type { SinkSyncSummary } from '../sync/run-sync.js';
import type { StoredAuditEntry } from './audit-entry.js';
import { appendAudit, type AuditTarget } from './append-audit.js';
import { hashIdentifier, secretFingerprint } from './hash-identifier.js';

/**
 * The trail's other entries, one function per kind. Each takes what its
 * caller already has and keeps only counts, ids of runs, sinks and triggers,
 * and hashes: raw identifiers and secrets are hashed here, so a caller cannot
 * put them in the trail by mistake. API logins: api-logins.ts.
 */

/** One entry per sync, with each sink's outcome counts. */
export function recordSync(target: AuditTarget, runId: string, sinks: readonly SinkSyncSummary[]): Promise<StoredAuditEntry> {
  return appendAudit(target, 'sync', {
    runId,
    sinks: sinks.map((sink) => ({
      sinkId: sink.sinkId,
      type: sink.type,
      applied: sink.execution?.applied ?? 0,
      skipped: sink.execution?.skipped ?? 0,
      deadLettered: sink.execution?.deadLettered ?? 0,
      failed: sink.execution?.failed ?? 0,
      // Whether, not why: the reasons can quote vendor messages.
      stoppedEarly: sink.execution?.stopped !== undefined,
      couldNotStart: sink.error !== undefined,
    })),
  });
}

export interface ErasureRecord {
  /** Absent for `forget --resume` alone. */
  requestId?: string;
  /** Raw, normalized identifiers: hashed before they reach the trail. */
  identifiers: readonly string[];
  profiles: number;
  events: number;
  quarantined: number;
  /** What the sync did about the deletions, per sink (empty when none ran). */
  sinks: readonly SinkDeletion[];
  /** Every vendor deletion still owed after this job, this request's and earlier ones. */
  pending: readonly PendingErasure[];
}

/** The erasure with its identifiers hashed; sinksPending is this request's (or, for a resume, every request's). */
export function recordErasure(target: AuditTarget, erasure: ErasureRecord): Promise<StoredAuditEntry> {
  const hashed = erasure.identifiers.map((identifier) => hashIdentifier(identifier, target.env));
  const owed = erasure.requestId === undefined ? erasure.pending : erasure.pending.filter((pending) => pending.requestId === erasure.requestId);
  return appendAudit(target, 'erasure', {
    ...(erasure.requestId !== undefined ? { requestId: erasure.requestId } : { resumed: true }),
    identifiers: hashed.map((entry) => entry.hash),
    ...(hashed[0] !== undefined ? { identifierScheme: hashed[0].scheme } : {}),
    profiles: erasure.profiles, events: erasure.events, quarantined: erasure.quarantined,
    sinksDone: erasure.sinks.filter((sink) => sink.status === 'done').map((sink) => sink.sinkId),
    sinksPending: [...new Set(owed.flatMap((pending) => pending.sinks))].sort(),
    requestsStillOwed: erasure.pending.length,
  });
}

/**
 * Triggers fired since the last call, batched by the caller (the serve
 * trigger loop: one entry per tick that fired anything, not per action).
 * Nothing is appended when nothing fired.
 */
export async function recordTriggersFired(target: AuditTarget, fired: Readonly<Record<string, number>>, window?: { from: string; to: string }): Promise<StoredAuditEntry | undefined> {
  const counts = Object.entries(fired).filter(([, count]) => count > 0).sort(([a], [b]) => a.localeCompare(b));
  if (counts.length === 0) return undefined;
  return appendAudit(target, 'triggers_fired', {
    triggers: Object.fromEntries(counts), total: counts.reduce((sum, [, count]) => sum + count, 0), ...(window ? { window: { ...window } } : {}),
  });
}

export interface KeyRotationRecord {
  /** Which key: an environment variable name such as SEGFLOW_PII_ENCRYPTION_KEY. */
  name: string;
  /** The keys themselves, fingerprinted here and never stored. */
  previousKey?: string;
  newKey: string;
  /** Values re-encrypted under the new key. */
  reencrypted?: number;
}

export function recordKeyRotation(target: AuditTarget, rotation: KeyRotationRecord): Promise<StoredAuditEntry> {
  return appendAudit(target, 'key_rotation', {
    name: rotation.name,
    ...(rotation.previousKey !== undefined ? { previousFingerprint: secretFingerprint(rotation.previousKey) } : {}),
    newFingerprint: secretFingerprint(rotation.newKey),
    ...(rotation.reencrypted !== undefined ? { reencrypted: rotation.reencrypted } : {}),
  });
}
