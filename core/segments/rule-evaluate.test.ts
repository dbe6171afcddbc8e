import { describe, expect, it } from 'vitest';
import { evaluateRule, type RuleRow } from './rule-evaluate.js';
import { RuleEvaluationError } from './rule-evaluation-error.js';
import { ruleFeatures } from './rule-features.js';
import { parseRule } from './rule-parser.js';

function ast(text: string) {
  const parsed = parseRule(text);
  if (!parsed.ok) throw new Error(parsed.errors[0]?.message);
  return parsed.ast;
}

function run(text: string, row: RuleRow = {}): boolean | null {
  return evaluateRule(ast(text), row);
}

describe('evaluateRule', () => {
  it('evaluates the README rules on a profile', () => {
    const profile = { recency_days: 90, frequency_90d: 3, segment_rfm: 'Loyal', monetary: 250, country: 'FR', avg_order_value: 400, frequency: 3 };
    expect(run('recency_days > 60 and frequency_90d >= 3', profile)).toBe(true);
    expect(run("not (segment_rfm = 'Champions') or monetary between 100 and 500", profile)).toBe(true);
    expect(run("country in ('UK', 'FR')", profile)).toBe(true);
    expect(run('avg_order_value * frequency >= 1000', profile)).toBe(true);
    expect(run('purchase_velocity_hours is null', profile)).toBe(true);
    expect(run('recency_days > 60 and frequency_90d >= 4', profile)).toBe(false);
  });

  it('follows Kleene logic for and, or and not', () => {
    const row = { t: true, f: false, n: null };
    const table = ['t and n', 'f and n', 'n and n', 't or n', 'f or n', 'n or n', 'not n', 'n and f', 'n or t'].map((rule) => run(rule, row));
    expect(table).toEqual([null, false, null, true, null, null, null, false, true]);
  });

  it('propagates null through arithmetic and comparison', () => {
    expect(run('x + 1 > 0', { x: null })).toBe(null);
    expect(run('-x < 0', { x: null })).toBe(null);
    expect(run('x = x', { x: null })).toBe(null);
    expect(run('x is null and x + 1 is null', { x: null })).toBe(true);
    expect(run('null = null')).toBe(null);
  });

  it('treats a feature missing from the row as null, never as an inherited property', () => {
    expect(run('missing is null')).toBe(true);
    expect(run('constructor is null and toString is null')).toBe(true);
  });

  it('gives in and not in their SQL meaning when the list holds null', () => {
    expect(run('x in (1, null)', { x: 1 })).toBe(true);
    expect(run('x in (1, null)', { x: 2 })).toBe(null);
    expect(run('x in (1, 2)', { x: 3 })).toBe(false);
    expect(run('x not in (1, null)', { x: 1 })).toBe(false);
    expect(run('x not in (1, null)', { x: 2 })).toBe(null);
    expect(run('x not in (1, 2)', { x: 3 })).toBe(true);
    expect(run('x in (1)', { x: null })).toBe(null);
  });

  it('gives between its SQL meaning with null bounds', () => {
    expect(run('x between 2 and null', { x: 1 })).toBe(false);
    expect(run('x between 2 and null', { x: 3 })).toBe(null);
    expect(run('x not between 2 and null', { x: 1 })).toBe(true);
    expect(run('x between 1 and 3', { x: 3 })).toBe(true);
    expect(run('x not between 1 and 3', { x: 4 })).toBe(true);
  });

  it('makes division and modulo by zero null, and keeps fmod signs', () => {
    expect(run('x / 0 > 0', { x: 1 })).toBe(null);
    expect(run('x / z is null', { x: 1, z: -0 })).toBe(true);
    expect(run('x % 0 is null', { x: 1 })).toBe(true);
    expect(run('-7 % 3 = -1')).toBe(true);
    expect(run('7.5 % -2 = 1.5')).toBe(true);
    expect(run('7 / 2 = 3.5')).toBe(true);
  });

  it('orders NaN above everything and equal to itself, as DuckDB does', () => {
    const row = { nan: Number.NaN, inf: Number.POSITIVE_INFINITY };
    expect(run('nan = nan and nan > inf and not nan < 0', row)).toBe(true);
    expect(run('nan in (1, nan)', row)).toBe(true);
  });

  it('compares strings by code point, as DuckDB compares UTF-8 bytes', () => {
    expect(run("'a' < 'b' and 'B' < 'a' and 'ab' > 'a'")).toBe(true);
    // U+FFFD sorts below U+1F600, though its UTF-16 unit is above the surrogates.
    expect(run("'\uFFFD' < '😀'")).toBe(true);
    expect(run("'é' > 'z'")).toBe(true);
  });

  it('throws when a row value has the wrong type for its operator', () => {
    let caught: unknown;
    try {
      run('recency_days > 1', { recency_days: 'many' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RuleEvaluationError);
    expect(caught).toMatchObject({ message: 'cannot compare string "many" with number 1 at column 1', span: { offset: 0, length: 16 } });
    expect(() => run('x + 1 > 1', { x: 'a' })).toThrow('"+" needs numbers, but the value at column 1 is string "a"');
    expect(() => run('x and true', { x: 3 })).toThrow('"and" needs conditions (true/false), but the value at column 1 is number 3');
    expect(() => run('x', { x: 3 })).toThrow(RuleEvaluationError);
    expect(() => evaluateRule(ast('x > 1'), { x: 1n } as unknown as RuleRow)).toThrow('feature "x" at column 1 holds a bigint');
  });
});

describe('ruleFeatures', () => {
  it('lists each feature once, in order of first use', () => {
    expect(ruleFeatures(ast("b > 1 and (a in (c, b) or not d between e and -f) and country = 'a'"))).toEqual(['b', 'a', 'c', 'd', 'e', 'f', 'country']);
    expect(ruleFeatures(ast('1 = 1'))).toEqual([]);
  });
});
