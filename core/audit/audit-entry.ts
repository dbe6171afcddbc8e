import { createHash, createHmac } from 'node:crypto';
import type { JsonValue } from '../events/canonical-event.js';
import { canonicalJson } from './canonical-json.js';

/**
 * One entry of the audit trail and how it is sealed.
 *
 * `hash` = SHA-256 of the canonical JSON of `{seq, at, kind, actor, detail,
 * prev}`; `prev` is the previous entry's hash (GENESIS_HASH for #1), so an
 * edited, removed, inserted or moved entry breaks the chain at that entry.
 *
 * A chain of plain hashes can be rewritten whole by anyone who can write the
 * store: recompute every hash from the edit onwards. With SEGFLOW_AUDIT_KEY
 * set, each entry also carries `mac` = HMAC-SHA-256(key, hash), which nobody
 * without the key can recompute. The MAC is kept beside the hash rather than
 * replacing it, so the chain still verifies (hashes only) where the key is not
 * available, and a trail begun before the key was configured stays valid: see
 * verify-chain.ts for what a verifier holding the key requires.
 *
 * `detail` never holds raw PII: counts, ids of runs, sinks and triggers, and
 * hashed identifiers (hash-identifier.ts).
 */
export type AuditKind = 'run' | 'config_changed' | 'sync' | 'erasure' | 'triggers_fired' | 'key_rotation' | 'api_login' | 'erasure_requested' | 'suppressions_exported' | 'suppressions_imported';

export type AuditDetail = { [key: string]: JsonValue };

export interface AuditEntry {
  seq: number;
  /** ISO time the entry was appended. */
  at: string;
  kind: AuditKind;
  /** Who or what acted: `segflow@<host>`, `api-key:<fingerprint>`, or SEGFLOW_AUDIT_ACTOR. */
  actor: string;
  detail: AuditDetail;
  prev: string;
  hash: string;
  /** Present when the entry was written with SEGFLOW_AUDIT_KEY. */
  mac?: string;
}

/** An entry as the state store keeps it: `detail` is the canonical JSON text it was sealed with. */
export interface StoredAuditEntry {
  seq: number;
  at: string;
  kind: string;
  actor: string;
  detail: string;
  prev: string;
  hash: string;
  mac: string | null;
}

/** The `prev` of entry #1. */
export const GENESIS_HASH = '0'.repeat(64);

export interface UnsealedEntry {
  seq: number;
  at: string;
  kind: string;
  actor: string;
  detail: AuditDetail;
  prev: string;
}

export function entryHash(entry: UnsealedEntry): string {
  const content = { seq: entry.seq, at: entry.at, kind: entry.kind, actor: entry.actor, detail: entry.detail, prev: entry.prev };
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

export function entryMac(hash: string, key: string): string {
  return createHmac('sha256', key).update(`segflow-audit:${hash}`).digest('hex');
}

/** The stored form of the next entry, sealed (and MACed when a key is given). */
export function sealEntry(entry: UnsealedEntry, key: string | undefined): StoredAuditEntry {
  const hash = entryHash(entry);
  return { ...entry, detail: canonicalJson(entry.detail), hash, mac: key === undefined ? null : entryMac(hash, key) };
}

/** The stored form as the user reads it (export): detail parsed, no null MAC. */
export function readableEntry(stored: StoredAuditEntry): AuditEntry {
  const entry: AuditEntry = {
    seq: stored.seq, at: stored.at, kind: stored.kind as AuditKind, actor: stored.actor, detail: parseDetail(stored.detail) ?? { unreadable: stored.detail }, prev: stored.prev, hash: stored.hash,
  };
  if (stored.mac !== null) entry.mac = stored.mac;
  return entry;
}

/** The detail object, or undefined when the text is not a JSON object (it was edited). */
export function parseDetail(text: string): AuditDetail | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as AuditDetail) : undefined;
  } catch {
    return undefined;
  }
}
