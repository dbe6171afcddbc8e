import type { SinkAction } from '../../../core/sync/sink.js';

/**
 * Pure planning of Request Campaign calls (vendor-facts.md §3): an action's
 * payload properties become `{{my.<name>}}` tokens, and tokens apply to
 * every lead of a call, so only actions with the same campaign and the
 * same tokens share one. A call holds at most 100 leads and 100 tokens, and
 * a lead at most once (Marketo would run it once for two actions).
 */
export const MAX_CALL_LEADS = 100;
export const MAX_CALL_TOKENS = 100;

export interface CampaignToken {
  name: string;
  value: string;
}

export interface PlannedRequest {
  /** Position of the action in the delivered batch. */
  index: number;
  action: SinkAction;
  leadId: number;
  campaignId: number;
  tokens: readonly CampaignToken[];
}

export type TokensOutcome = { ok: true; tokens: CampaignToken[] } | { ok: false; reason: string };

export function tokensOf(action: SinkAction): TokensOutcome {
  const names = Object.keys(action.properties).sort();
  if (names.length > MAX_CALL_TOKENS) return { ok: false, reason: `it has ${names.length} payload fields and Marketo takes at most ${MAX_CALL_TOKENS} tokens a call` };
  const invalid = names.find((name) => name.trim().length === 0 || /[{}]/.test(name));
  if (invalid !== undefined) return { ok: false, reason: `payload field "${invalid}" cannot be a My Token name ({{my.<name>}} takes no braces)` };
  // Marketo tokens are text; a cleared (null) value is sent as an empty token so the program default does not leak in.
  return { ok: true, tokens: names.map((name) => ({ name: `{{my.${name}}}`, value: textOf(action.properties[name] ?? null) })) };
}

function textOf(value: string | number | boolean | null): string {
  return value === null ? '' : String(value);
}

/** Groups requests into calls: same campaign and tokens, distinct leads, at most 100 each; input order kept within a call. */
export function planCalls(requests: readonly PlannedRequest[]): PlannedRequest[][] {
  const groups = new Map<string, PlannedRequest[][]>();
  for (const request of requests) {
    const key = JSON.stringify([request.campaignId, request.tokens]);
    const calls = groups.get(key) ?? [];
    if (!groups.has(key)) groups.set(key, calls);
    const open = calls.find((call) => call.length < MAX_CALL_LEADS && !call.some((other) => other.leadId === request.leadId));
    if (open) open.push(request);
    else calls.push([request]);
  }
  return [...groups.values()].flat();
}
