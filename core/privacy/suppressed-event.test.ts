import { describe, expect, it } from 'vitest';
import { isSuppressedEvent, isSuppressedJsonText, isSuppressedSample } from './suppressed-event.js';
import { suppressionCheck, suppressionHash } from './suppressions.js';

// The state store's list is enough to exercise the rules: the same normalized identifiers go in either list.
const check = suppressionCheck(new Set(['ada@example.com', 'user-1', 'anon-9'].map(suppressionHash)));
const event = (overrides: Partial<Parameters<typeof isSuppressedEvent>[1]> = {}) => ({ userId: null, anonymousId: null, previousId: null, traits: {}, context: {}, ...overrides });

describe('records of erased people, at ingest', () => {
  it('matches an event by userId, anonymousId, alias previousId, or an email in any case', () => {
    expect(isSuppressedEvent(check, event({ userId: 'user-1' }))).toBe(true);
    expect(isSuppressedEvent(check, event({ anonymousId: 'anon-9' }))).toBe(true);
    expect(isSuppressedEvent(check, event({ userId: 'user-2', previousId: 'anon-9' }))).toBe(true);
    expect(isSuppressedEvent(check, event({ userId: 'user-2', traits: { email: ' ADA@Example.com ' } }))).toBe(true);
    expect(isSuppressedEvent(check, event({ userId: 'user-2', context: { traits: { email: 'ada@example.com' } } }))).toBe(true);
    expect(isSuppressedEvent(check, event({ userId: 'user-2', traits: { email: 'bob@example.com' } }))).toBe(false);
    expect(isSuppressedEvent(check, event({ userId: 'USER-1' }))).toBe(false);
  });

  it('matches raw JSON lines and rejected samples by the identifiers they quote', () => {
    expect(isSuppressedJsonText(check, '{"type":"track","userId":"user-1"}')).toBe(true);
    expect(isSuppressedJsonText(check, '{"type":"track","userId":"user-2","traits":{"email":"Ada@example.com"}}')).toBe(true);
    expect(isSuppressedJsonText(check, '{"type":"track","userId":"user-2"}')).toBe(false);
    expect(isSuppressedSample(check, '{"type": "track", "userId": "user-1", "properties": ["x"]')).toBe(true);
    expect(isSuppressedSample(check, '{"contact": "ADA@EXAMPLE.COM"}')).toBe(true);
    // An identifier inside a longer value is someone else's.
    expect(isSuppressedSample(check, '{"userId": "user-10"}')).toBe(false);
  });

  it('does nothing at all while nobody is erased', () => {
    const empty = suppressionCheck(new Set());
    expect(empty.size).toBe(0);
    expect(isSuppressedEvent(empty, event({ userId: 'user-1' }))).toBe(false);
  });
});
