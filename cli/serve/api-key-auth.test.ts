import { describe, expect, it } from 'vitest';
import { createKeyRing, grantsFor, presentedKey } from './api-key-auth.js';

describe('key ring', () => {
  const ring = createKeyRing([...grantsFor(['key-one', 'key-two', 'shared'], 'profile'), ...grantsFor(['admin-1', 'shared'], 'admin')]);
  const scopes = (key: string | undefined) => [...(ring.identify(key)?.scopes ?? [])].sort();

  it('knows every configured key with its scopes, refuses others, empty and missing', () => {
    expect(scopes('key-one')).toEqual(['profile']);
    expect(scopes('key-two')).toEqual(['profile']);
    expect(scopes('admin-1')).toEqual(['admin']);
    expect(scopes('shared')).toEqual(['admin', 'profile']);
    for (const wrong of ['key-on', 'key-one-and-more', 'KEY-ONE', '', undefined]) expect(ring.identify(wrong)).toBeUndefined();
  });

  it('keeps digests only: the key texts are nowhere in the ring', () => {
    const dump = JSON.stringify(ring.identify('key-one'));
    expect(dump).not.toContain('key-one');
    expect(ring.has('admin')).toBe(true);
    expect(createKeyRing(grantsFor(['p'], 'profile')).has('admin')).toBe(false);
  });
});

describe('presented key', () => {
  it('reads Bearer first (scheme in any case), then X-API-Key', () => {
    expect(presentedKey({ authorization: 'Bearer key-one' })).toBe('key-one');
    expect(presentedKey({ authorization: 'bearer key-one' })).toBe('key-one');
    expect(presentedKey({ authorization: 'BEARER\tkey-one' })).toBe('key-one');
    expect(presentedKey({ authorization: 'Basic abc', 'x-api-key': 'key-two' })).toBe('key-two');
    expect(presentedKey({})).toBeUndefined();
  });

  it('does not guess at a malformed header: two tokens, no key, no space', () => {
    expect(presentedKey({ authorization: 'Bearer key-one extra' })).toBeUndefined();
    expect(presentedKey({ authorization: 'Bearer ' })).toBeUndefined();
    expect(presentedKey({ authorization: 'Bearerkey-one' })).toBeUndefined();
    expect(presentedKey({ 'x-api-key': '  ' })).toBeUndefined();
  });
});
