import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { answerProfileRequest, keysForId, type ProfileSnapshot, type ServedProfile } from './profile-lookup.js';

const emailHash = createHash('sha256').update('ana@example.com').digest('hex');
const ana: ServedProfile = { profileId: 'u:ana', segments: [{ id: 'vip', name: 'VIP' }], features: { frequency: 4 } };
const bo: ServedProfile = { profileId: 'u:bo', withheld: 'consent' };
const snapshot: ProfileSnapshot = {
  runId: 'r1', builtAt: 0, profiles: 2, missingFeatures: [],
  byKey: new Map<string, ServedProfile>([['u:ana', ana], ['a:device-1', ana], [`e:${emailHash}`, ana], ['u:bo', bo]]),
};

describe('profile lookup (pure)', () => {
  it('answers by userId, anonymousId and email hash (any case) with the same profile', () => {
    for (const id of ['ana', 'device-1', `email_sha256:${emailHash}`, `email_sha256:${emailHash.toUpperCase()}`]) {
      expect(answerProfileRequest(snapshot, id)).toEqual({ status: 200, body: { profileId: 'u:ana', segments: [{ id: 'vip', name: 'VIP' }], features: { frequency: 4 } } });
    }
  });

  it('serves no segments or features for a profile whose consent does not cover the API', () => {
    expect(answerProfileRequest(snapshot, 'bo')).toEqual({ status: 200, body: { profileId: 'u:bo', segments: [], features: {}, consent: 'withheld' } });
  });

  it('404 for an unknown id, 400 for a malformed email hash', () => {
    expect(answerProfileRequest(snapshot, 'nobody').status).toBe(404);
    expect(answerProfileRequest(snapshot, 'email_sha256:abc')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/64 hex digits/) } });
  });

  it('tries the userId before the anonymousId', () => {
    expect(keysForId('x')).toEqual({ keys: ['u:x', 'a:x'] });
  });
});
