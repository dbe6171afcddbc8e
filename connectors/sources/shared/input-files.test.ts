import { describe, expect, it } from 'vitest';
import { globToRegExp } from './input-files.js';

describe('globToRegExp', () => {
  it('keeps * and ? within a path segment and lets ** cross them', () => {
    expect(globToRegExp('*.csv.gz').test('2024-01-01.csv.gz')).toBe(true);
    expect(globToRegExp('*.csv.gz').test('old/2024-01-01.csv.gz')).toBe(false);
    expect(globToRegExp('**/*.csv').test('a/b/c.csv')).toBe(true);
    expect(globToRegExp('**/*.csv').test('c.csv')).toBe(true);
    expect(globToRegExp('day-?.csv').test('day-10.csv')).toBe(false);
  });
});
