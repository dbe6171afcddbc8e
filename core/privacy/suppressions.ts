import { createHash } from 'node:crypto';
import type { StateStore } from '../store/state/state-store.js';
import { readSuppressionFile, suppressionFilePath, type SuppressionFile } from './suppression-file.js';

/**
 * The suppression list (GDPR/CCPA erasure requests), from two places: the
 * state store's own list (hashes of normalized keys and `profile:<id>`) and
 * the shared suppression file beside the mapping (suppression-file.ts),
 * which outlives any state directory. Only hashes are kept, so neither
 * holds PII; a suppressed identifier is never ingested or synced again, and
 * every sink holding it gets a delete on the next sync.
 */
export interface SuppressionCheck {
  /** Zero when nobody was ever erased: callers skip the check (and its hashing) entirely. */
  readonly size: number;
  /** A normalized identifier (email trimmed and lowercased, userId, anonymousId, a sink key) or `profile:<id>`. */
  has(identifier: string): boolean;
}

export function suppressionHash(key: string): string {
  return createHash('sha256').update(`segflow-suppression:${key}`).digest('hex');
}

export function addSuppression(state: StateStore, key: string, reason: string): Promise<boolean> {
  return state.suppressions.add(suppressionHash(key), reason);
}

/** The state store's list alone (a store without a mapping beside it). */
export async function loadSuppressions(state: StateStore): Promise<SuppressionCheck> {
  return suppressionCheck(await state.suppressions.hashes());
}

/** Both lists of a mapping: its state's and its shared file's. */
export async function loadMappingSuppressions(options: { state: StateStore; baseDir: string; env: NodeJS.ProcessEnv }): Promise<SuppressionCheck> {
  const file = readSuppressionFile(suppressionFilePath(options.baseDir, options.env), options.env);
  const stateHashes = await options.state.suppressions.hashes();
  // An imported or exported file can carry a state's list too (same scheme everywhere): it counts as this state's.
  for (const hash of file?.stateHashes ?? []) stateHashes.add(hash);
  return suppressionCheck(stateHashes, file);
}

const MEMO_LIMIT = 100_000;

export function suppressionCheck(stateHashes: ReadonlySet<string>, file?: SuppressionFile): SuppressionCheck {
  const fileHashes = file?.hashes ?? new Set<string>();
  const size = stateHashes.size + fileHashes.size;
  // The same userIds come back on every event: hash each once (bounded, so a huge run cannot grow it forever).
  const memo = new Map<string, boolean>();
  const inFile = (identifier: string) => file !== undefined && fileHashes.size > 0 && fileHashes.has(file.hasher.hash(identifier));
  const lookup = (identifier: string): boolean => {
    if (stateHashes.size > 0 && stateHashes.has(suppressionHash(identifier))) return true;
    // Profiles are named after the identifier they were first seen by (`u:<userId>`, `a:<anonymousId>`).
    const profile = /^profile:[ua]:(.+)$/.exec(identifier);
    return inFile(profile ? (profile[1] as string) : identifier);
  };
  return {
    size,
    has(identifier) {
      if (size === 0) return false;
      const known = memo.get(identifier);
      if (known !== undefined) return known;
      const found = lookup(identifier);
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(identifier, found);
      return found;
    },
  };
}
