import { describe, expect, it } from 'vitest';
import type { RuleNode } from './rule-ast.js';
import { MAX_RULE_DEPTH, MAX_RULE_NESTING, parseRule } from './rule-parser.js';

/** The tree as a Lisp-style string, so a precedence mistake changes the text. */
function shape(node: RuleNode): string {
  switch (node.kind) {
    case 'number':
      return String(node.value);
    case 'string':
      return `'${node.value}'`;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
    case 'feature':
      return node.name;
    case 'not':
      return `(not ${shape(node.operand)})`;
    case 'negate':
      return `(neg ${shape(node.operand)})`;
    case 'logical':
    case 'compare':
    case 'arithmetic':
      return `(${node.operator} ${shape(node.left)} ${shape(node.right)})`;
    case 'in':
      return `(${node.negated ? 'not-in' : 'in'} ${shape(node.value)} ${node.list.map(shape).join(' ')})`;
    case 'between':
      return `(${node.negated ? 'not-between' : 'between'} ${shape(node.value)} ${shape(node.low)} ${shape(node.high)})`;
    case 'is-null':
      return `(${node.negated ? 'is-not-null' : 'is-null'} ${shape(node.value)})`;
  }
}

function parsed(text: string): string {
  const result = parseRule(text);
  if (!result.ok) throw new Error(`expected "${text}" to parse: ${result.errors.map((error) => error.message).join('; ')}`);
  return shape(result.ast);
}

function failure(text: string): { message: string; column: number; offset: number; length: number; line: number } {
  const result = parseRule(text);
  if (result.ok) throw new Error(`expected "${text}" to fail, got ${shape(result.ast)}`);
  expect(result.errors).toHaveLength(1);
  return result.errors[0] as { message: string; column: number; offset: number; length: number; line: number };
}

describe('parseRule precedence', () => {
  it.each([
    ['a or b and c', '(or a (and b c))'],
    ['a and b or c', '(or (and a b) c)'],
    ['not a = 1 and b', '(and (not (= a 1)) b)'],
    ['not not a', '(not (not a))'],
    ['a + b * c > 1', '(> (+ a (* b c)) 1)'],
    ['a - b - c = 0', '(= (- (- a b) c) 0)'],
    ['a / b % c = 0', '(= (% (/ a b) c) 0)'],
    ['-a * b < 0', '(< (* (neg a) b) 0)'],
    ['- - a = 1', '(= (neg (neg a)) 1)'],
    ['(a or b) and c', '(and (or a b) c)'],
    ['x between 1 and 2 and y', '(and (between x 1 2) y)'],
    ['x not between a + 1 and b * 2', '(not-between x (+ a 1) (* b 2))'],
    ['x in (1, 2 + 3, null)', '(in x 1 (+ 2 3) null)'],
    ['x not in (\'a\')', "(not-in x 'a')"],
    ['x is null or y is not null', '(or (is-null x) (is-not-null y))'],
    ['a + 1 is null', '(is-null (+ a 1))'],
  ])('%s', (text, expected) => {
    expect(parsed(text)).toBe(expected);
  });

  it('reads keywords in any case and keeps identifier case', () => {
    expect(parsed('Recency > 1 AND NOT Flag OR x IS NOT NULL')).toBe('(or (and (> Recency 1) (not Flag)) (is-not-null x))');
    expect(parsed('x NOT IN (TRUE, False) and y Between 1 AND 2')).toBe('(and (not-in x true false) (between y 1 2))');
  });

  it('normalizes == to = and != to <>', () => {
    expect(parsed('a == 1 and b != 2 and c <> 3')).toBe('(and (and (= a 1) (<> b 2)) (<> c 3))');
  });

  it('reads numbers, strings and literals', () => {
    expect(parsed('x = 1e3 or x = 2.5 or x = .5 or x = 1.5E-2')).toBe('(or (or (or (= x 1000) (= x 2.5)) (= x 0.5)) (= x 0.015))');
    expect(parsed("name = 'O''Brien'")).toBe("(= name 'O'Brien')");
    expect(parsed("name = ''")).toBe("(= name '')");
    expect(parsed('flag = true and other = FALSE')).toBe('(and (= flag true) (= other false))');
  });

  it('records where each node came from, parentheses included', () => {
    const result = parseRule('x > 1 and (y < 2)');
    if (!result.ok || result.ast.kind !== 'logical') throw new Error('expected an and');
    expect(result.ast.operatorSpan).toMatchObject({ offset: 6, length: 3, column: 7 });
    expect(result.ast.right.span).toMatchObject({ offset: 10, length: 7 });
  });
});

describe('parseRule errors', () => {
  it.each([
    ['frequency_90d ] 3', 'unexpected "]" at column 15', 15, 1],
    ['recency_days > 60 and', 'expected an expression after "and" at column 22', 22, 0],
    ['recency_days > 60 and )', 'expected an expression after "and" at column 23', 23, 1],
    ["country = 'abc", 'unterminated string starting at column 11', 11, 4],
    ['x => 3', '"=>" is not an operator at column 3; did you mean ">="?', 3, 2],
    ['x =< 3', '"=<" is not an operator at column 3; did you mean "<="?', 3, 2],
    ['x === 3', '"===" is not an operator at column 3; did you mean "="?', 3, 3],
    ['x <=> 3', '"<=>" is not an operator at column 3; comparisons are =, !=, <, <=, >, >=', 3, 3],
    ['a && b', '"&&" is not an operator at column 3; did you mean "and"?', 3, 2],
    ['a || b', '"||" is not an operator at column 3; did you mean "or"?', 3, 2],
    ['! a', '"!" is not an operator at column 1; did you mean "not" or "!="?', 1, 1],
    ['x ≥ 3', '"≥" is not an operator at column 3; did you mean ">="?', 3, 1],
    ['country = "UK"', `"UK" at column 11 is in double quotes; strings use straight single quotes: 'UK'`, 11, 4],
    ['country = ‘UK’', "‘UK’ at column 11 is in curly quotes; strings use straight single quotes: 'UK'", 11, 4],
    ['country = "UK', 'unterminated string starting at column 11; strings use single quotes', 11, 3],
    ['recency_days > 60d', 'invalid number "60d" at column 16', 16, 3],
    ['x = 1.2.3', 'invalid number "1.2.3" at column 5', 5, 5],
    ['x > 1e400', 'number "1e400" at column 5 is too large', 5, 5],
    ['', 'the rule is empty; write a condition such as recency_days > 60', 1, 0],
    ['   ', 'the rule is empty; write a condition such as recency_days > 60', 1, 0],
    [') or x', 'unexpected ")" at column 1', 1, 1],
    ['a > 1)', 'unexpected ")" at column 6; it has no matching "("', 6, 1],
    ['a > 1 b', 'unexpected "b" at column 7; is an "and" or "or" missing before it?', 7, 1],
    ['(a > 1', 'expected ")" at column 7 to close the "(" at column 1', 7, 0],
    ['(a > 1 b)', 'unexpected "b" at column 8; expected ")" to close the "(" at column 1', 8, 1],
    ['a < b < c', 'comparisons cannot be chained at column 7; join them with "and"', 7, 1],
    ['a = 1 is null', 'comparisons cannot be chained at column 7; join them with "and"', 7, 2],
    ['a not = 3', 'expected "in" or "between" after "not" at column 7', 7, 1],
    ['a is 3', 'expected "null" or "not null" after "is" at column 6', 6, 1],
    ['a in 3', 'expected "(" after "in" at column 6', 6, 1],
    ['a in ()', 'expected an expression after "(" at column 7', 7, 1],
    ['a in (1, )', 'expected an expression after "," at column 10', 10, 1],
    ['a in (1 2)', 'expected "," or ")" in the list at column 9', 9, 1],
    ['a between 1 or 2', 'expected "and" after the lower bound of "between" at column 13', 13, 2],
    ['a = not b', 'expected an expression after "=" at column 5', 5, 3],
  ])('%s', (text, message, column, length) => {
    const error = failure(text);
    expect(error.message).toBe(message);
    expect(error.column).toBe(column);
    expect(error.offset).toBe(column - 1);
    expect(error.length).toBe(length);
  });

  it('reports every lexical problem at once', () => {
    const result = parseRule('a => 1 and b ] 2 and c = "x"');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.column)).toEqual([3, 14, 26]);
  });

  it('gives line and column in rules written over several lines', () => {
    const error = failure('recency_days > 60\nand\n  ]');
    expect(error).toMatchObject({ message: 'unexpected "]" at line 3, column 3', line: 3, column: 3, offset: 24 });
    const atEnd = failure('recency_days > 60 and\n');
    expect(atEnd).toMatchObject({ message: 'expected an expression after "and" at column 22', line: 1 });
  });

  it('rejects hostile nesting instead of overflowing the stack', () => {
    const deep = `${'('.repeat(MAX_RULE_NESTING + 5)}x${')'.repeat(MAX_RULE_NESTING + 5)}`;
    expect(failure(deep).message).toMatch(/^the rule nests deeper than 200 levels at column \d+; simplify it$/);
    const minus = `${'-'.repeat(10_000)}x > 1`;
    expect(failure(minus).message).toMatch(/nests deeper/);
    expect(parsed(`${'('.repeat(50)}x${')'.repeat(50)} = 1`)).toBe('(= x 1)');
  });

  it('caps how deep a chain of operators may grow, pointing long lists at "in"', () => {
    const chain = (terms: number): string => Array.from({ length: terms }, (_, index) => `x = ${index}`).join(' or ');
    expect(parseRule(chain(MAX_RULE_DEPTH - 1)).ok).toBe(true);
    expect(failure(chain(5000)).message).toMatch(/^the rule has more than 1000 levels of operators at column \d+; write long lists of alternatives as "in \(…\)"$/);
    const longList = `x in (${Array.from({ length: 50_000 }, (_, index) => index).join(', ')})`;
    expect(parseRule(longList).ok).toBe(true);
  });
});
