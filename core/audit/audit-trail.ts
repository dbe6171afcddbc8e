import type { StateStore } from '../store/state/state-store.js';
import { auditKey } from './audit-key.js';
import { exportLines } from './export-trail.js';
import { verifyChain, type ChainVerdict } from './verify-chain.js';

/**
 * `segflow audit verify` and `export` on one state store: read the whole
 * trail and its head, judge it with the key from the environment (when set).
 * The whole trail is read at once: entries are small (a run is one or two),
 * so a year of hourly runs is a few megabytes.
 */
export async function verifyTrail(state: StateStore, env: NodeJS.ProcessEnv): Promise<ChainVerdict> {
  const [entries, head] = [await state.audit.entries(), await state.audit.head()];
  return verifyChain(entries, head, auditKey(env));
}

export interface TrailExport {
  text: string;
  verdict: ChainVerdict;
  /** Entries listed (after `since`). */
  listed: number;
}

export async function exportTrail(state: StateStore, env: NodeJS.ProcessEnv, options: { now: () => number; since?: string }): Promise<TrailExport> {
  const [entries, head] = [await state.audit.entries(), await state.audit.head()];
  const verdict = verifyChain(entries, head, auditKey(env));
  const since = options.since;
  return {
    text: exportLines(entries, verdict, new Date(options.now()).toISOString(), since),
    verdict,
    listed: since === undefined ? entries.length : entries.filter((entry) => entry.at >= since).length,
  };
}
