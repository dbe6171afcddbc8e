import * as crypto from 'node:crypto';

/**
 * Deterministic ids: the same match always yields the same id, so a replayed
 * event, a timer fired again after a crash, or a retry after a vendor timeout
 * is the same action, dropped by the outbox (and by the vendor where it takes
 * an idempotency key). The anchor is the time that identifies the match (wait
 * start, session start), not the time it was processed.
 */
export function firingId(triggerId: string, profileId: string, matchKey: string, anchorAt: number): string {
  return digest([triggerId, profileId, matchKey, String(anchorAt)]);
}

/** One id per action of a firing: two sinks (or two kinds in one sink) are two actions. */
export function actionId(firing: string, actionIndex: number, sink: string, kind: string): string {
  return digest([firing, String(actionIndex), sink, kind]);
}

/**
 * `crypto.hash` (Node >= 20.12) is the one-shot form of createHash: the same
 * bytes, without a Hash object per id (createHash + update + digest was ~3%
 * of the trigger bench, two ids per firing). Older Node 20 falls back.
 */
const sha256: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'base64url') : (text) => crypto.createHash('sha256').update(text).digest('base64url');

function digest(parts: readonly string[]): string {
  // The unit separator cannot appear in ids a mapping declares, so parts never run together.
  return sha256(parts.join('\u001f')).slice(0, 22);
}
