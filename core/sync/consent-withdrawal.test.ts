import { describe, expect, it } from 'vitest';
import { planSync, type AckedRecord, type DesiredRecord } from './planner.js';

/**
 * A profile whose consent no longer covers a sink leaves segflow's lists
 * and loses segflow's values in every mode: in additive mode a profile that
 * merely left a segment keeps them, one that withdrew consent does not.
 */
const stay: DesiredRecord = { profileId: 'u:1', key: 'p1@example.com', properties: { tier: 'gold' }, lists: new Set(['vip']) };
const acked = new Map<string, AckedRecord>([
  ['u:1', { profileId: 'u:1', key: 'p1@example.com', vendorId: '101', properties: { tier: 'gold' }, lists: new Map([['vip', 'member']]) }],
  ['u:2', { profileId: 'u:2', key: 'p2@example.com', vendorId: '102', properties: { tier: 'gold' }, lists: new Map([['vip', 'member'], ['lapsed', 'pending']]) }],
]);
const ops = (plan: ReturnType<typeof planSync>) => plan.changes.map((change) => `${change.op} ${change.record.key}${'list' in change ? ` ${change.list}` : ''}`);

describe('consent withdrawal in the sync plan', () => {
  for (const mode of ['sync', 'additive', 'enrich'] as const) {
    it(`${mode}: a withdrawn profile is removed from every segflow list and its values are cleared`, () => {
      const plan = planSync({ mode, desired: [stay], acked, isWithoutConsent: (profileId) => profileId === 'u:2' });
      expect(ops(plan)).toEqual(['list-remove p2@example.com lapsed', 'list-remove p2@example.com vip', 'update p2@example.com']);
      expect(plan.changes.at(-1)).toMatchObject({ op: 'update', properties: { tier: null } });
    });
  }

  it('additive: a profile that left the scope for another reason keeps what it had', () => {
    expect(ops(planSync({ mode: 'additive', desired: [stay], acked }))).toEqual([]);
  });

  it('a retired pseudo-profile (key changed) of a withdrawn profile is emptied too', () => {
    const retired = new Map<string, AckedRecord>([['u:2~1', { profileId: 'u:2~1', key: 'old2@example.com', properties: {}, lists: new Map([['vip', 'member']]) }]]);
    expect(ops(planSync({ mode: 'additive', desired: [], acked: retired, isWithoutConsent: (profileId) => profileId === 'u:2' }))).toEqual(['list-remove old2@example.com vip']);
  });
});
