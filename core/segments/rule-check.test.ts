import { describe, expect, it } from 'vitest';
import { checkRule, type RuleValueType } from './rule-check.js';
import { parseRule } from './rule-parser.js';

const FEATURES: ReadonlyMap<string, RuleValueType> = new Map<string, RuleValueType>([
  ['recency_days', 'number'],
  ['frequency_90d', 'number'],
  ['monetary', 'number'],
  ['avg_order_value', 'number'],
  ['frequency', 'number'],
  ['purchase_velocity_hours', 'number'],
  ['segment_rfm', 'string'],
  ['country', 'string'],
  ['is_subscribed', 'boolean'],
]);

function problems(text: string, features: ReadonlyMap<string, RuleValueType> = FEATURES): { message: string; column: number; length: number }[] {
  const parsed = parseRule(text);
  if (!parsed.ok) throw new Error(`"${text}" did not parse: ${parsed.errors[0]?.message}`);
  return checkRule(parsed.ast, features).map(({ message, column, length }) => ({ message, column, length }));
}

function messages(text: string, features?: ReadonlyMap<string, RuleValueType>): string[] {
  return problems(text, features).map((problem) => problem.message);
}

describe('checkRule', () => {
  it.each([
    'recency_days > 60 and frequency_90d >= 3',
    "not (segment_rfm = 'Champions') or monetary between 100 and 500",
    "country in ('UK', 'FR', null)",
    'avg_order_value * frequency >= 1000',
    'purchase_velocity_hours is null',
    'is_subscribed and not is_subscribed = false',
    "country < 'M' and -monetary % 7 <> 0",
    'null',
  ])('accepts %s', (text) => {
    expect(problems(text)).toEqual([]);
  });

  it('suggests the closest feature for a typo, pointing at it', () => {
    expect(problems('frequncy_90d >= 3')).toEqual([
      { message: 'unknown feature "frequncy_90d" at column 1; did you mean "frequency_90d"?', column: 1, length: 12 },
    ]);
    expect(messages('monetray > 1')).toEqual(['unknown feature "monetray" at column 1; did you mean "monetary"?']);
    expect(messages('Country = \'UK\'')).toEqual(['unknown feature "Country" at column 1; did you mean "country"?']);
    expect(problems('(monetray) > 1')).toEqual([{ message: 'unknown feature "monetray" at column 2; did you mean "monetary"?', column: 2, length: 8 }]);
    expect(messages('x > 1 and\n  frequncy > 2')).toEqual([
      expect.stringMatching(/^unknown feature "x" at column 1;/),
      'unknown feature "frequncy" at line 2, column 3; did you mean "frequency"?',
    ]);
  });

  it('lists the nearest known names when nothing is close', () => {
    expect(messages('zzz > 1')).toEqual([
      'unknown feature "zzz" at column 1; known features include "country", "monetary", "frequency", "segment_rfm", "recency_days" and 4 more',
    ]);
    const few = new Map<string, RuleValueType>([['a_feature', 'number'], ['b_feature', 'number']]);
    expect(messages('qqqqqqqqqqqq > 1', few)).toEqual(['unknown feature "qqqqqqqqqqqq" at column 1; known features are "a_feature", "b_feature"']);
    expect(messages('x > 1', new Map())).toEqual(['unknown feature "x" at column 1; no features are defined']);
  });

  it('reads a bare word compared with a text feature as a missing quote', () => {
    expect(messages('segment_rfm = Champions')).toEqual([`unknown feature "Champions" at column 15; if you meant the text, write 'Champions'`]);
    expect(messages('country in (UK, FR)')).toEqual([
      `unknown feature "UK" at column 13; if you meant the text, write 'UK'`,
      `unknown feature "FR" at column 17; if you meant the text, write 'FR'`,
    ]);
  });

  it('reports type mismatches in comparisons with a fix', () => {
    expect(problems("recency_days > '60'")).toEqual([
      { message: "cannot compare recency_days (a number) with '60' (a string) at column 14; remove the quotes: 60", column: 14, length: 1 },
    ]);
    expect(messages('country = 44')).toEqual(["cannot compare country (a string) with 44 (a number) at column 9; if you meant the text, quote it: '44'"]);
    expect(messages("is_subscribed = 'true'")).toEqual(["cannot compare is_subscribed (a boolean) with 'true' (a string) at column 15; remove the quotes: true"]);
    expect(messages('monetary + 1 = country')).toEqual(['cannot compare a number expression with country (a string) at column 14']);
    expect(messages("country in ('UK', 3)")).toEqual(["cannot compare country (a string) with 3 (a number) at column 19; if you meant the text, quote it: '3'"]);
    expect(messages("monetary between 1 and 'x'")).toEqual(["cannot compare monetary (a number) with 'x' (a string) at column 24"]);
  });

  it('reports arithmetic on strings and logic on numbers', () => {
    expect(problems('country * 2 > 1')).toEqual([{ message: '"*" needs numbers, but country at column 1 is a string', column: 1, length: 7 }]);
    expect(messages("-'x' < 0")).toEqual([`"-" needs numbers, but 'x' at column 2 is a string`]);
    expect(messages('recency_days and is_subscribed')).toEqual([
      '"and" needs conditions (true/false), but recency_days at column 1 is a number; compare it, e.g. recency_days > 0',
    ]);
    expect(messages("not country")).toEqual([`"not" needs conditions (true/false), but country at column 5 is a string; compare it, e.g. country = '…'`]);
    expect(messages('is_subscribed or (monetary + 1)')).toEqual(['"or" needs conditions (true/false), but the expression at column 18 is a number']);
  });

  it('insists the whole rule is a condition', () => {
    expect(messages('recency_days')).toEqual([
      'the rule must be a condition (true/false), but recency_days at column 1 is a number; compare it, e.g. recency_days > 0',
    ]);
    expect(messages('monetary * 2')).toEqual(['the rule must be a condition (true/false), but the expression at column 1 is a number']);
  });

  it('flags comparisons with null, which are never true', () => {
    expect(problems('purchase_velocity_hours = null')).toEqual([
      { message: 'comparing with null at column 27 is never true; use "is null"', column: 27, length: 4 },
    ]);
    expect(messages('purchase_velocity_hours != null')).toEqual(['comparing with null at column 28 is never true; use "is not null"']);
    expect(messages("country not in ('UK', null)")).toEqual(['null in a "not in" list at column 23 makes the rule never true; remove it']);
  });

  it('reports every problem, in source order', () => {
    expect(problems("frequncy > 1 and country * 2 > 1 and recency_days = 'x'").map((problem) => problem.column)).toEqual([1, 18, 51]);
  });
});
