import { describe, expect, it } from 'vitest';
import { handleCohortWebhook, identifierOfDistinctId, type CohortState } from './cohort-webhook.js';
import { basicAuthMatches, basicCredentialDigest } from './webhook-auth.js';

const member = (id: string, email = `${id}@example.com`) => ({ email, mixpanel_distinct_id: id, first_name: 'A', last_name: 'B' });
const payload = (action: string, ids: string[], extra: Record<string, unknown> = {}) => ({
  action,
  parameters: {
    mixpanel_project_id: '2195193', mixpanel_cohort_id: '1234', mixpanel_cohort_name: 'Power users', mixpanel_cohort_description: '',
    mixpanel_session_id: 's-1', members: ids.map((id) => member(id)), ...extra,
  },
});

function accepted(body: unknown, prior?: CohortState) {
  const outcome = handleCohortWebhook(body, prior);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome;
}

describe('handleCohortWebhook', () => {
  it('a members message replaces the prior membership', () => {
    const outcome = accepted(payload('members', ['a', 'b', 'c']), { members: new Set(['c', 'x']) });
    expect(outcome.change).toEqual({ cohortKey: 'mixpanel:2195193:1234', cohortName: 'Power users', add: ['a', 'b'], remove: ['x'], replace: true });
    expect([...outcome.state.members]).toEqual(['a', 'b', 'c']);
    expect(outcome.httpStatus).toBe(200);
    expect(outcome.response).toEqual({ action: 'members', status: 'success' });
    expect(outcome.members[0]).toEqual({ distinctId: 'a', email: 'a@example.com', properties: { email: 'a@example.com', first_name: 'A', last_name: 'B' } });
  });

  it('add_members and remove_members are diffs against the prior set', () => {
    const prior: CohortState = { members: new Set(['a', 'b']) };
    const added = accepted(payload('add_members', ['b', 'c']), prior);
    expect(added.change).toEqual({ cohortKey: 'mixpanel:2195193:1234', cohortName: 'Power users', add: ['c'], remove: [] });
    expect([...added.state.members]).toEqual(['a', 'b', 'c']);
    const removed = accepted(payload('remove_members', ['a', 'zz']), added.state);
    expect(removed.change).toMatchObject({ add: [], remove: ['a'] });
    expect([...removed.state.members]).toEqual(['b', 'c']);
    expect(removed.response).toEqual({ action: 'remove_members', status: 'success' });
  });

  it('with no prior state, a removal removes every listed member', () => {
    expect(accepted(payload('remove_members', ['a', 'b'])).change).toMatchObject({ remove: ['a', 'b'] });
  });

  it('applies a paged members export only once every page of the session arrived, in any order, repeats included', () => {
    const prior: CohortState = { members: new Set(['old', 'b']) };
    const page = (count: number, ids: string[], session = 's-1') => payload('members', ids, { mixpanel_session_id: session, page_info: { total_pages: 3, page_count: count } });
    const first = accepted(page(2, ['b', 'c']), prior);
    expect(first.change).toBeNull();
    expect([...first.state.members]).toEqual(['old', 'b']); // nothing removed yet
    const repeated = accepted(page(2, ['b', 'c']), first.state);
    expect(repeated.change).toBeNull();
    const second = accepted(page(1, ['a']), repeated.state);
    expect(second.change).toBeNull();
    const last = accepted(page(3, ['d']), second.state);
    expect(last.change).toMatchObject({ add: ['a', 'c', 'd'], remove: ['old'], replace: true });
    expect([...last.state.members].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(last.state.pending).toBeUndefined();
  });

  it('a new session restarts an unfinished paged export', () => {
    const page = (count: number, ids: string[], session: string) => payload('members', ids, { mixpanel_session_id: session, page_info: { total_pages: 2, page_count: count } });
    const stale = accepted(page(1, ['stale'], 's-1'));
    const fresh1 = accepted(page(1, ['a'], 's-2'), stale.state);
    const fresh2 = accepted(page(2, ['b'], 's-2'), fresh1.state);
    expect(fresh2.change).toMatchObject({ add: ['a', 'b'], remove: [], replace: true });
  });

  it('skips members without a distinct id and says which and why', () => {
    const body = payload('add_members', ['a']);
    body.parameters.members.push({ email: 'x@example.com' } as never, 'junk' as never);
    const outcome = accepted(body);
    expect(outcome.change).toMatchObject({ add: ['a'] });
    expect(outcome.skipped).toEqual([
      { index: 1, reason: 'mixpanel_distinct_id is missing or empty' },
      { index: 2, reason: 'a member must be an object' },
    ]);
  });

  it('answers 400 with the failure shape Mixpanel shows in its UI for a body it cannot use', () => {
    const outcome = handleCohortWebhook({ action: 'rename', parameters: {} }, undefined);
    expect(outcome.ok).toBe(false);
    expect(outcome.httpStatus).toBe(400);
    expect(outcome.response).toMatchObject({ action: 'rename', status: 'failure', error: { code: 400 } });
    expect(outcome.response.error?.message).toMatch(/^invalid cohort webhook payload: action: .*parameters.mixpanel_project_id/);
    expect(handleCohortWebhook('not json', undefined)).toMatchObject({ ok: false, response: { action: '', status: 'failure' } });
  });

  it('maps distinct ids to the identifiers the export source gives their events', () => {
    expect(identifierOfDistinctId('u-1')).toBe('u:u-1');
    expect(identifierOfDistinctId('$device:abc')).toBe('a:abc');
  });
});

describe('basicAuthMatches', () => {
  const expected = basicCredentialDigest('mixpanel', 'hook-secret');
  const header = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

  it('accepts exactly the configured credentials', () => {
    expect(basicAuthMatches(header('mixpanel:hook-secret'), expected)).toBe(true);
    expect(basicAuthMatches(header('mixpanel:hook-secre'), expected)).toBe(false);
    expect(basicAuthMatches(header('mixpanel:hook-secret:x'), expected)).toBe(false);
    expect(basicAuthMatches('Bearer abc', expected)).toBe(false);
    expect(basicAuthMatches(undefined, expected)).toBe(false);
  });

  it('reads the scheme in any case but refuses malformed base64 and a differently-cased password', () => {
    expect(basicAuthMatches(header('mixpanel:hook-secret').replace('Basic', 'bAsIc'), expected)).toBe(true);
    expect(basicAuthMatches(`Basic ${Buffer.from('mixpanel:hook-secret').toString('base64')}!`, expected)).toBe(false);
    expect(basicAuthMatches('Basic %%%%', expected)).toBe(false);
    expect(basicAuthMatches(header('mixpanel:HOOK-SECRET'), expected)).toBe(false);
  });
});
