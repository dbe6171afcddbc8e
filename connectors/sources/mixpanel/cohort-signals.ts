import { createHash } from 'node:crypto';
import type { CohortMember, CohortState, MembershipChange } from './cohort-webhook.js';

/**
 * A cohort's membership change as the journal lines the store loads:
 * `Audience Entered` / `Audience Exited` tracks keyed by the cohort (what a
 * `model: audiences` segmentation reads), and an identify carrying each new
 * member's e-mail, so sinks matching on e-mail can reach members who never
 * sent an exported event. Message ids derive from the webhook body, so a
 * retried delivery of the same body is stored once.
 */
export function cohortSignalLines(change: MembershipChange, members: readonly CohortMember[], bodyDigest: string, receivedAt: string): string {
  const emailOf = new Map(members.map((member) => [member.distinctId, member.email]));
  let lines = '';
  const id = (kind: string, distinctId: string) => `mpc-${createHash('sha256').update(`${change.cohortKey}\u0000${distinctId}\u0000${kind}\u0000${bodyDigest}`).digest('hex').slice(0, 32)}`;
  const who = (distinctId: string) => (distinctId.startsWith('$device:') ? { anonymousId: distinctId.slice('$device:'.length) } : { userId: distinctId });
  const properties = { audience_key: change.cohortKey, ...(change.cohortName ? { audience_name: change.cohortName } : {}), source: 'mixpanel' };
  for (const distinctId of change.add) {
    const email = emailOf.get(distinctId);
    if (email) lines += `${JSON.stringify({ type: 'identify', ...who(distinctId), messageId: id('identify', distinctId), timestamp: receivedAt, receivedAt, traits: { email } })}\n`;
    lines += `${JSON.stringify({ type: 'track', event: 'Audience Entered', ...who(distinctId), messageId: id('entered', distinctId), timestamp: receivedAt, receivedAt, properties })}\n`;
  }
  for (const distinctId of change.remove) {
    lines += `${JSON.stringify({ type: 'track', event: 'Audience Exited', ...who(distinctId), messageId: id('exited', distinctId), timestamp: receivedAt, receivedAt, properties })}\n`;
  }
  return lines;
}

/** Cohort state as JSON for the state store (sets as sorted arrays). */
export function serializeCohortState(state: CohortState): string {
  return JSON.stringify({
    members: [...state.members].sort(),
    ...(state.pending ? { pending: { ...state.pending, pages: [...state.pending.pages].sort((a, b) => a - b), members: [...state.pending.members].sort() } } : {}),
  });
}

export function parseCohortState(text: string | undefined): CohortState | undefined {
  if (text === undefined) return undefined;
  const raw = JSON.parse(text) as { members: string[]; pending?: { sessionId: string; totalPages: number; pages: number[]; members: string[] } };
  return {
    members: new Set(raw.members),
    ...(raw.pending ? { pending: { sessionId: raw.pending.sessionId, totalPages: raw.pending.totalPages, pages: new Set(raw.pending.pages), members: new Set(raw.pending.members) } } : {}),
  };
}
