import { describe, expect, it } from 'vitest';
import { readConsent } from '../privacy/consent-decision.js';
import { answerProfileRequest, type ProfileSnapshot } from './profile-lookup.js';
import { opaqueProfileId, servedFields, servedProfile } from './profile-snapshot.js';

const fields = servedFields({ features: ['frequency', { name: 'monetary', consent: ['Personalization'] }], segments: { consent: ['Marketing'] } });
const refs = new Map([['vip', { id: 'vip', name: 'VIP' }]]);
const serve = (consent: string | null, required = false) => servedProfile('u:ana', ['vip'], refs, fields, [4, 120.5], readConsent(consent), { required });
const answer = (profile: ReturnType<typeof serve>) => {
  const snapshot: ProfileSnapshot = { runId: null, builtAt: 0, profiles: 1, missingFeatures: [], byKey: new Map([['u:ana', profile]]) };
  return answerProfileRequest(snapshot, 'ana').body;
};

describe('profile API fields with their own consent', () => {
  it('keeps the plain-string form and serves everything where consent covers it', () => {
    expect(fields.features).toEqual([{ name: 'frequency', consent: [] }, { name: 'monetary', consent: ['Personalization'] }]);
    expect(answer(serve('{"categoryPreferences":{"Personalization":true,"marketing":true}}'))).toEqual({
      profileId: opaqueProfileId('u:ana'), segments: [{ id: 'vip', name: 'VIP' }], features: { frequency: 4, monetary: 120.5 },
    });
  });

  it('leaves out only the fields whose consent is not covered, and names them', () => {
    expect(answer(serve('{"categoryPreferences":{"Marketing":true}}'))).toEqual({
      profileId: opaqueProfileId('u:ana'), segments: [{ id: 'vip', name: 'VIP' }], features: { frequency: 4 }, withheld: ['monetary'],
    });
    expect(answer(serve('{"categoryPreferences":{}}'))).toEqual({ profileId: opaqueProfileId('u:ana'), features: { frequency: 4 }, withheld: ['segments', 'monetary'] });
  });

  it('serves every field to a profile without consent data, unless consent is required', () => {
    expect(answer(serve(null))).toMatchObject({ features: { frequency: 4, monetary: 120.5 }, segments: [{ id: 'vip', name: 'VIP' }] });
    expect(answer(serve(null, true))).toEqual({ profileId: opaqueProfileId('u:ana'), features: { frequency: 4 }, withheld: ['segments', 'monetary'] });
  });
});
