import { describe, expect, it } from 'vitest';
import { maskSnippet } from './mask-snippet.js';

describe('maskSnippet', () => {
  it('masks addresses and long digit runs before cutting, and keeps short numbers', () => {
    expect(maskSnippet('{"error":"no contact ann@example.com","phone":"+44 (20) 7946-0958","code":422}')).toBe('{"error":"no contact <email>","phone":"<phone>","code":422}');
    expect(maskSnippet('account 12345678 at x@y, order 123456')).toBe('account <phone> at <email>, order 123456');
    const long = `${'x'.repeat(195)} bob.smith@example.com`;
    expect(maskSnippet(long)).toBe(`${'x'.repeat(195)} <em…`);
  });
});
