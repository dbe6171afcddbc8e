import { describe, expect, it } from 'vitest';
import { closestName, editDistance, knownNamesSentence } from './rule-suggest.js';

describe('editDistance', () => {
  it.each([
    ['frequency', 'frequency', 0],
    ['frequncy', 'frequency', 1],
    ['freqeuncy', 'frequency', 1],
    ['monetray', 'monetary', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('%s → %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('closestName', () => {
  it('guesses only names close for their length', () => {
    expect(closestName('frequncy_90d', ['frequency_90d', 'frequency_30d'])).toBe('frequency_90d');
    expect(closestName('RECENCY_DAYS', ['recency_days'])).toBe('recency_days');
    expect(closestName('ab', ['xy', 'abc'])).toBe('abc');
    expect(closestName('ab', ['xyz'])).toBe(null);
    expect(closestName('recency', ['recency_days'])).toBe(null);
  });
});

describe('knownNamesSentence', () => {
  it('lists up to five names, nearest first', () => {
    expect(knownNamesSentence('x', [])).toBe('no features are defined');
    expect(knownNamesSentence('recency', ['monetary', 'recency_days'])).toBe('known features are "recency_days", "monetary"');
    expect(knownNamesSentence('a', ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'])).toBe('known features include "a1", "a2", "a3", "a4", "a5" and 2 more');
  });
});
