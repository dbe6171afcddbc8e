import { describe, expect, it } from 'vitest';
import { createKeyCheck, presentedKey } from './api-key-auth.js';

describe('API key check', () => {
  const check = createKeyCheck(['key-one', 'key-two']);

  it('accepts every configured key, refuses others, empty and missing', () => {
    expect(check('key-one')).toBe(true);
    expect(check('key-two')).toBe(true);
    expect(check('key-on')).toBe(false);
    expect(check('key-one-and-more')).toBe(false);
    expect(check('')).toBe(false);
    expect(check(undefined)).toBe(false);
  });

  it('reads Bearer first, then X-API-Key', () => {
    expect(presentedKey({ authorization: 'Bearer key-one' })).toBe('key-one');
    expect(presentedKey({ authorization: 'Basic abc', 'x-api-key': 'key-two' })).toBe('key-two');
    expect(presentedKey({})).toBeUndefined();
  });
});
