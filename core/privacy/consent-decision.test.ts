import { describe, expect, it } from 'vitest';
import { consentAllowsJson, consentPolicyOf, grantsByCategory } from './consent-decision.js';

const REQUIRED = { required: true };
const granted = (preferences: Record<string, unknown>) => JSON.stringify({ categoryPreferences: preferences });

describe('consent decision (Segment rules)', () => {
  it('does not enforce without consent data, unless consent is required', () => {
    expect(consentAllowsJson(null, ['Marketing'])).toBe(true);
    expect(consentAllowsJson(null, ['Marketing'], REQUIRED)).toBe(false);
    // An object without categoryPreferences says no more than none.
    expect(consentAllowsJson('{"mixpanelOptIn":true}', ['Marketing'])).toBe(true);
    expect(consentAllowsJson('{"mixpanelOptIn":true}', ['Marketing'], REQUIRED)).toBe(false);
  });

  it('denies every category on an empty preference object, required or not', () => {
    expect(consentAllowsJson(granted({}), ['Marketing'])).toBe(false);
    expect(consentAllowsJson(granted({}), ['Marketing'], REQUIRED)).toBe(false);
  });

  it('needs every category of a use, matched case-insensitively, and only true grants', () => {
    const consent = granted({ marketing: true, Analytics: false, Ads: 'yes' });
    expect(consentAllowsJson(consent, ['Marketing'])).toBe(true);
    expect(consentAllowsJson(consent, ['Marketing', 'Analytics'])).toBe(false);
    expect(consentAllowsJson(consent, ['Ads'])).toBe(false);
    expect(grantsByCategory(consent, ['Marketing', 'analytics', 'Personalization'], REQUIRED)).toEqual({ Marketing: true, analytics: false, Personalization: false });
  });

  it('lets a use that names no category through, and fails closed on unreadable consent', () => {
    expect(consentAllowsJson(granted({}), [], REQUIRED)).toBe(true);
    expect(consentAllowsJson('{not json', ['Marketing'])).toBe(false);
  });

  it('a name given twice in different cases: the denial wins', () => {
    expect(consentAllowsJson(granted({ Marketing: true, marketing: false }), ['Marketing'])).toBe(false);
  });

  it('reads the policy from the mapping', () => {
    expect(consentPolicyOf({})).toEqual({ required: false });
    expect(consentPolicyOf({ privacy: { consent: { required: true } } })).toEqual({ required: true });
  });
});
