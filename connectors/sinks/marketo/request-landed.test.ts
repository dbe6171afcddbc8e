import { describe, expect, it } from 'vitest';
import { matchLandedRequests, type PendingRequest } from './request-landed.js';

const sentAt = Date.parse('2026-12-01T10:00:00Z');
const pending = (actionId: string, leadId: number, campaignId = 1, at = sentAt): PendingRequest => ({ actionId, leadId, campaignId, sentAt: at });

describe('matchLandedRequests', () => {
  it('confirms a pending request by an activity of the same lead and campaign after it was sent', () => {
    const landed = matchLandedRequests([pending('a', 10), pending('b', 11)], [{ leadId: 10, campaignId: 1, activityDate: sentAt + 1_000 }]);
    expect(landed).toEqual(new Set(['a']));
  });

  it('ignores activities of another campaign, or from before the first attempt (beyond the clock skew)', () => {
    const landed = matchLandedRequests([pending('a', 10)], [
      { leadId: 10, campaignId: 2, activityDate: sentAt + 1_000 },
      { leadId: 10, campaignId: 1, activityDate: sentAt - 120_000 },
    ]);
    expect(landed.size).toBe(0);
  });

  it('uses each activity for one request only: two lost requests of one lead need two activities', () => {
    const two = [pending('a', 10), pending('b', 10, 1, sentAt + 5_000)];
    expect(matchLandedRequests(two, [{ leadId: 10, campaignId: 1, activityDate: sentAt + 6_000 }])).toEqual(new Set(['a']));
    expect(matchLandedRequests(two, [{ leadId: 10, campaignId: 1, activityDate: sentAt + 1_000 }, { leadId: 10, campaignId: 1, activityDate: sentAt + 6_000 }])).toEqual(new Set(['a', 'b']));
  });
});
