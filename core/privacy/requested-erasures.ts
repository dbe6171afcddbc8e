import type { MetaState } from '../store/state/meta-state.js';

/**
 * Erasure requests that arrived while no erasure could run: Segment's
 * `type: "delete"` messages through the ingest API (`segflow serve`).
 * On arrival the identifier is suppressed at once (so the person's events
 * are dropped from then on) and the request is kept here, as the hash the
 * state's suppression list uses (suppressions.ts): no raw identifier waits
 * in the state store. The next `segflow run` or `segflow forget --resume`
 * finds the person through the identity graph by that hash and erases them
 * (core/runtime/requested-erasures-job.ts), then drops the request.
 */
export interface RequestedErasure {
  requestId: string;
  requestedAt: string;
  /** Where it came from: `segment-delete:<source id>`. */
  via: string;
  /** suppressionHash() of each identifier the request named (a userId, maybe an anonymousId). */
  identifierHashes: string[];
}

const KEY = 'privacy.requested-erasures';

// The server appends while a scheduled run may be settling requests, in one process: each
// read-modify-write of the list takes its turn, so neither loses the other's change.
const turns = new WeakMap<MetaState, Promise<unknown>>();

function inTurn<T>(meta: MetaState, work: () => Promise<T>): Promise<T> {
  const previous = turns.get(meta) ?? Promise.resolve();
  const next = previous.then(work, work);
  turns.set(meta, next.catch(() => undefined));
  return next;
}

export async function requestedErasures(meta: MetaState): Promise<RequestedErasure[]> {
  const text = await meta.get(KEY);
  if (text === undefined) return [];
  const parsed = JSON.parse(text) as unknown;
  return Array.isArray(parsed) ? (parsed as RequestedErasure[]) : [];
}

/** Durable once resolved (the state store commits it): only then may the request be acknowledged. */
export function recordRequestedErasure(meta: MetaState, request: RequestedErasure): Promise<void> {
  return inTurn(meta, async () => {
    const others = (await requestedErasures(meta)).filter((entry) => entry.requestId !== request.requestId);
    await meta.set(KEY, JSON.stringify([...others, request]));
  });
}

/** Drops the requests that were executed; requests that arrived meanwhile stay. */
export function settleRequestedErasures(meta: MetaState, executed: ReadonlySet<string>): Promise<RequestedErasure[]> {
  return inTurn(meta, async () => {
    const left = (await requestedErasures(meta)).filter((entry) => !executed.has(entry.requestId));
    await meta.set(KEY, JSON.stringify(left));
    return left;
  });
}
