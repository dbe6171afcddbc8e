import type { MetaState } from '../store/state/meta-state.js';

/**
 * Vendor deletions an erasure still owes, kept in the state store until a
 * sync has deleted the person from that sink: `forget --local-only`
 * records them for every sink, a forget whose sync failed for one sink
 * keeps that one, and `forget --resume` (or the sync of a later `run`)
 * settles them. No identifier is kept: the sync finds the records through
 * the suppression list and what each vendor account acknowledged.
 */
export interface PendingErasure {
  requestId: string;
  requestedAt: string;
  /** Sink ids whose deletion is not confirmed yet. */
  sinks: string[];
}

const KEY = 'privacy.pending-erasures';

export async function pendingErasures(meta: MetaState): Promise<PendingErasure[]> {
  const text = await meta.get(KEY);
  if (text === undefined) return [];
  const parsed = JSON.parse(text) as unknown;
  return Array.isArray(parsed) ? (parsed as PendingErasure[]).filter((entry) => entry.sinks.length > 0) : [];
}

export async function recordPendingErasure(meta: MetaState, erasure: PendingErasure): Promise<void> {
  const others = (await pendingErasures(meta)).filter((entry) => entry.requestId !== erasure.requestId);
  await meta.set(KEY, JSON.stringify(erasure.sinks.length > 0 ? [...others, erasure] : others));
}

/** A sync's outcome per sink: every request stops owing the sinks that finished without a failed delete. */
export async function settlePendingErasures(meta: MetaState, finished: ReadonlySet<string>): Promise<PendingErasure[]> {
  const left = (await pendingErasures(meta)).map((entry) => ({ ...entry, sinks: entry.sinks.filter((sink) => !finished.has(sink)) })).filter((entry) => entry.sinks.length > 0);
  await meta.set(KEY, JSON.stringify(left));
  return left;
}
