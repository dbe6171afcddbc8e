import { z } from 'zod';

/**
 * Mixpanel cohort sync to a custom webhook (docs.mixpanel.com/docs/cohort-sync/webhooks):
 * a POST per message, `members` (the whole cohort: replace), `add_members`
 * and `remove_members` (diffs since the last successful sync, ≤1,000 users
 * each). A large `members` export arrives as several pages of one
 * `mixpanel_session_id`; the replace is applied only once every page is in,
 * or the first page would remove everyone on the later ones.
 *
 * Pure: the caller stores the returned state and sends the response.
 */
export const COHORT_ACTIONS = ['members', 'add_members', 'remove_members'] as const;
export type CohortAction = (typeof COHORT_ACTIONS)[number];

const MemberSchema = z.looseObject({ mixpanel_distinct_id: z.unknown().optional() });

const PayloadSchema = z.looseObject({
  action: z.enum(COHORT_ACTIONS),
  parameters: z.looseObject({
    mixpanel_project_id: z.union([z.string().min(1), z.number()]),
    mixpanel_cohort_id: z.union([z.string().min(1), z.number()]),
    mixpanel_cohort_name: z.string().optional(),
    mixpanel_session_id: z.string().optional(),
    page_info: z.looseObject({ total_pages: z.number().int().positive(), page_count: z.number().int().positive() }).optional(),
    members: z.array(z.unknown()),
  }),
});

export interface CohortMember {
  distinctId: string;
  email: string | null;
  /** Every exported property as sent (first_name, last_name, phone_number, chosen extras). */
  properties: Record<string, unknown>;
}

/** What the receiver keeps per cohort between messages. */
export interface CohortState {
  members: ReadonlySet<string>;
  /** A paged `members` export still arriving. */
  pending?: { sessionId: string; totalPages: number; pages: ReadonlySet<number>; members: ReadonlySet<string> };
}

export interface MembershipChange {
  /** `mixpanel:<project id>:<cohort id>`: stable across cohort renames. */
  cohortKey: string;
  cohortName: string | null;
  /** distinct_ids (`$device:<id>` for anonymous members, as Mixpanel sends them). */
  add: string[];
  remove: string[];
  /** A full export: membership is now exactly the prior set + add − remove. */
  replace?: boolean;
}

/** The body Mixpanel expects: `action` echoed, `status`, and on failure an error its UI shows. */
export interface CohortWebhookResponse {
  action: string;
  status: 'success' | 'failure';
  error?: { message: string; code: number };
}

export type CohortWebhookOutcome =
  | {
      ok: true;
      httpStatus: 200;
      response: CohortWebhookResponse;
      cohortKey: string;
      state: CohortState;
      /** Null while a paged full export is still incomplete. */
      change: MembershipChange | null;
      /** Members of this message with their exported properties (emails for sinks). */
      members: CohortMember[];
      /** Entries of `members` that were not used, with why. */
      skipped: Array<{ index: number; reason: string }>;
    }
  | { ok: false; httpStatus: 400; response: CohortWebhookResponse; reason: string };

/**
 * Turns one webhook body into the membership change against `prior` (the
 * state returned for this cohort last time; undefined when none). An
 * invalid body is answered 400: Mixpanel pauses the sync and shows the
 * message rather than retrying a body that will never parse.
 */
export function handleCohortWebhook(body: unknown, prior: CohortState | undefined): CohortWebhookOutcome {
  const parsed = PayloadSchema.safeParse(body);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
    const action = typeof (body as { action?: unknown } | null)?.action === 'string' ? (body as { action: string }).action : '';
    return { ok: false, httpStatus: 400, reason, response: { action, status: 'failure', error: { message: `invalid cohort webhook payload: ${reason}`, code: 400 } } };
  }
  const { action, parameters } = parsed.data;
  const cohortKey = `mixpanel:${String(parameters.mixpanel_project_id)}:${String(parameters.mixpanel_cohort_id)}`;
  const { members, skipped } = readMembers(parameters.members);
  const ids = new Set(members.map((member) => member.distinctId));
  const before = prior?.members ?? new Set<string>();
  const base = { ok: true as const, httpStatus: 200 as const, response: { action, status: 'success' as const }, cohortKey, members, skipped };
  // Sorted, so one body always gives one change whatever order pages and members came in.
  const change = (add: string[], remove: string[], replace?: boolean): MembershipChange => ({
    cohortKey, cohortName: parameters.mixpanel_cohort_name ?? null, add: add.sort(), remove: remove.sort(), ...(replace ? { replace } : {}),
  });

  if (action === 'add_members') {
    const add = [...ids].filter((id) => !before.has(id));
    return { ...base, state: { ...prior, members: new Set([...before, ...ids]) }, change: change(add, []) };
  }
  if (action === 'remove_members') {
    // Without a prior state every listed id is removed: removing a non-member is harmless, keeping a leaver is not.
    const remove = prior === undefined ? [...ids] : [...ids].filter((id) => before.has(id));
    const after = new Set([...before].filter((id) => !ids.has(id)));
    return { ...base, state: { ...prior, members: after }, change: change([], remove) };
  }

  // `members`: collect the pages of a paged export, then replace.
  const pageInfo = parameters.page_info;
  let full: ReadonlySet<string> = ids;
  if (pageInfo !== undefined && pageInfo.total_pages > 1) {
    const sessionId = parameters.mixpanel_session_id ?? '';
    // A new session supersedes an unfinished one (Mixpanel restarts a failed export from the top).
    const pending = prior?.pending?.sessionId === sessionId ? prior.pending : { sessionId, totalPages: pageInfo.total_pages, pages: new Set<number>(), members: new Set<string>() };
    const collected = { ...pending, pages: new Set([...pending.pages, pageInfo.page_count]), members: new Set([...pending.members, ...ids]) };
    const complete = [...Array(collected.totalPages).keys()].every((index) => collected.pages.has(index + 1));
    if (!complete) return { ...base, state: { members: before, pending: collected }, change: null };
    full = collected.members;
  }
  const add = [...full].filter((id) => !before.has(id));
  const remove = [...before].filter((id) => !full.has(id));
  return { ...base, state: { members: new Set(full) }, change: change(add, remove, true) };
}

/**
 * The answer when the receiver itself fails (its store is down): 429 or 5xx
 * make Mixpanel retry (5 times over 60 s, then at the next sync, from its
 * last successful snapshot), where a 4xx would pause the sync.
 */
export function cohortWebhookFailure(action: string, httpStatus: 429 | 500 | 502 | 503, message: string): { httpStatus: number; response: CohortWebhookResponse } {
  return { httpStatus, response: { action, status: 'failure', error: { message, code: httpStatus } } };
}

function readMembers(entries: readonly unknown[]): { members: CohortMember[]; skipped: Array<{ index: number; reason: string }> } {
  const members: CohortMember[] = [];
  const skipped: Array<{ index: number; reason: string }> = [];
  for (const [index, entry] of entries.entries()) {
    const parsed = MemberSchema.safeParse(entry);
    if (!parsed.success) {
      skipped.push({ index, reason: 'a member must be an object' });
      continue;
    }
    const raw = parsed.data.mixpanel_distinct_id;
    const distinctId = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : typeof raw === 'string' && raw.trim() !== '' ? raw : null;
    if (distinctId === null) {
      skipped.push({ index, reason: 'mixpanel_distinct_id is missing or empty' });
      continue;
    }
    const { mixpanel_distinct_id: _id, ...properties } = parsed.data;
    const email = typeof properties.email === 'string' && properties.email.trim() !== '' ? properties.email.trim() : null;
    members.push({ distinctId, email, properties });
  }
  return { members, skipped };
}

/** The segflow identifier a member's distinct_id stands for, as the export source maps events (`u:` user, `a:` anonymous device). */
export function identifierOfDistinctId(distinctId: string): string {
  return distinctId.startsWith('$device:') ? `a:${distinctId.slice('$device:'.length)}` : `u:${distinctId}`;
}
