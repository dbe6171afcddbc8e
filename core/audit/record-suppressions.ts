import type { StoredAuditEntry } from './audit-entry.js';
import { appendAudit, type AuditTarget } from './append-audit.js';
import { hashIdentifier } from './hash-identifier.js';

/**
 * Trail entries for the suppression list's life outside `forget`: an
 * erasure requested through the ingest API (Segment's delete message), and
 * the list exported or imported. Identifiers are hashed here as in
 * record-events.ts; an export or import names only its file's hash scheme
 * and counts, since the hashes it moves are the list itself.
 */
export interface ErasureRequestRecord {
  requestId: string;
  /** `segment-delete:<source id>`. */
  via: string;
  /** Raw identifiers the request named: hashed before they reach the trail. */
  identifiers: readonly string[];
}

export function recordErasureRequested(target: AuditTarget, request: ErasureRequestRecord): Promise<StoredAuditEntry> {
  const hashed = request.identifiers.map((identifier) => hashIdentifier(identifier, target.env));
  return appendAudit(target, 'erasure_requested', {
    requestId: request.requestId, via: request.via,
    identifiers: hashed.map((entry) => entry.hash), ...(hashed[0] !== undefined ? { identifierScheme: hashed[0].scheme } : {}),
  });
}

export interface SuppressionTransferRecord {
  /** The file written or read. */
  file: string;
  /** The hash scheme of the file's header: `hmac-sha256` or `sha256-salted`. */
  scheme: string;
  /** Hashes in the file (export) or read from it (import). */
  hashes: number;
  /** Import only: hashes that were not on the list yet. */
  added?: number;
}

export function recordSuppressionTransfer(target: AuditTarget, direction: 'export' | 'import', transfer: SuppressionTransferRecord): Promise<StoredAuditEntry> {
  return appendAudit(target, direction === 'export' ? 'suppressions_exported' : 'suppressions_imported', {
    file: transfer.file, scheme: transfer.scheme, hashes: transfer.hashes, ...(transfer.added !== undefined ? { added: transfer.added } : {}),
  });
}
