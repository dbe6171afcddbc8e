import { createHash } from 'node:crypto';
import type { StateStore } from '../store/state/state-store.js';

/**
 * The suppression list (GDPR/CCPA erasure requests). Only a hash of the
 * normalized identifier is kept, so the list itself holds no PII; a
 * suppressed key is never synced again, and every sink holding it gets a
 * delete on the next sync.
 */
export function suppressionHash(key: string): string {
  return createHash('sha256').update(`segflow-suppression:${key}`).digest('hex');
}

export function addSuppression(state: StateStore, key: string, reason: string): Promise<boolean> {
  return state.suppressions.add(suppressionHash(key), reason);
}

export function loadSuppressions(state: StateStore): Promise<Set<string>> {
  return state.suppressions.hashes();
}
