import { describe, expect, it } from 'vitest';
import type { SinkAction } from '../../../core/sync/sink.js';
import { planCalls, tokensOf, type PlannedRequest } from './campaign-calls.js';

const action = (id: string, properties: SinkAction['properties']): SinkAction => ({ id, kind: 'marketo:campaign', target: 'Welcome', record: { profileId: `u:${id}`, key: `${id}@example.com` }, occurredAt: '2026-12-01T10:00:00Z', properties });

function planned(index: number, leadId: number, properties: SinkAction['properties'], campaignId = 1): PlannedRequest {
  const tokens = tokensOf(action(String(index), properties));
  if (!tokens.ok) throw new Error(tokens.reason);
  return { index, action: action(String(index), properties), leadId, campaignId, tokens: tokens.tokens };
}

describe('Request Campaign call planning', () => {
  it('turns payload fields into sorted {{my.…}} text tokens, and refuses names with braces', () => {
    expect(tokensOf(action('a', { seats: 3, plan: 'pro', trial: false, coupon: null }))).toEqual({
      ok: true,
      tokens: [
        { name: '{{my.coupon}}', value: '' },
        { name: '{{my.plan}}', value: 'pro' },
        { name: '{{my.seats}}', value: '3' },
        { name: '{{my.trial}}', value: 'false' },
      ],
    });
    expect(tokensOf(action('b', { '{{my.x}}': 1 }))).toMatchObject({ ok: false });
  });

  it('shares a call only between the same campaign and the same tokens, and never puts a lead twice in one call', () => {
    const calls = planCalls([planned(0, 10, { plan: 'pro' }), planned(1, 11, { plan: 'free' }), planned(2, 12, { plan: 'pro' }), planned(3, 10, { plan: 'pro' }), planned(4, 13, { plan: 'pro' }, 2)]);
    expect(calls.map((call) => call.map((request) => request.index))).toEqual([[0, 2], [3], [1], [4]]);
  });

  it('holds at most 100 leads a call', () => {
    const calls = planCalls(Array.from({ length: 201 }, (_, index) => planned(index, index, { plan: 'pro' })));
    expect(calls.map((call) => call.length)).toEqual([100, 100, 1]);
  });
});
