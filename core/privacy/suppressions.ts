import { createHash } from 'node:crypto';
import type { StateDb } from '../store/state-db.js';

/**
 * The suppression list (GDPR/CCPA erasure requests). Only a hash of the
 * normalized identifier is kept, so the list itself holds no PII; a
 * suppressed key is never synced again, and every sink holding it gets a
 * delete on the next sync.
 */
export function suppressionHash(key: string): string {
  return createHash('sha256').update(`segflow-suppression:${key}`).digest('hex');
}

export function addSuppression(db: StateDb, key: string, reason: string, now: () => number): boolean {
  const result = db.prepare('INSERT INTO suppressions (key_hash, reason, requested_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(suppressionHash(key), reason, new Date(now()).toISOString());
  return result.changes > 0;
}

export function loadSuppressions(db: StateDb): Set<string> {
  const rows = db.prepare('SELECT key_hash FROM suppressions').all() as Array<{ key_hash: string }>;
  return new Set(rows.map((row) => row.key_hash));
}
