import {
  describePosition,
  joinSpans,
  ruleChildren,
  ruleError,
  type ArithmeticOperator,
  type ComparisonOperator,
  type RuleError,
  type RuleNode,
  type SourceSpan,
} from './rule-ast.js';
import { lexRule, type RuleKeyword, type RuleSymbol, type RuleToken } from './rule-lexer.js';

export type ParseRuleResult = { ok: true; ast: RuleNode } | { ok: false; errors: RuleError[] };

/**
 * Deep enough for any rule a person writes; shallow enough that a hostile
 * `((((…` cannot overflow the stack of this recursive-descent parser.
 */
export const MAX_RULE_NESTING = 200;

/**
 * Every consumer walks the tree recursively, and `a or b or …` is a left
 * spine as deep as the chain is long; past this, long lists belong in `in (…)`.
 */
export const MAX_RULE_DEPTH = 1000;

const COMPARISONS: Readonly<Partial<Record<RuleSymbol, ComparisonOperator>>> = {
  '=': '=', '==': '=', '!=': '<>', '<>': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=',
};

/** Thrown inside the parser only; the first syntax error ends the parse. */
class SyntaxFailure extends Error {
  constructor(readonly error: RuleError) {
    super(error.message);
  }
}

/**
 * Parses rule text such as `recency_days > 60 and country in ('UK', 'FR')`.
 * Never throws on user input: all lexical errors are reported together;
 * after those, the first syntax error (later ones would mostly be echoes).
 */
export function parseRule(text: string): ParseRuleResult {
  const { tokens, errors } = lexRule(text);
  if (errors.length > 0) return { ok: false, errors };
  try {
    return { ok: true, ast: new RuleParser(tokens).parseRoot() };
  } catch (error) {
    if (error instanceof SyntaxFailure) return { ok: false, errors: [error.error] };
    throw error;
  }
}

class RuleParser {
  private position = 0;
  private depth = 0;
  /** Height of each compound node built so far; leaves are 1. */
  private readonly heights = new WeakMap<RuleNode, number>();

  constructor(private readonly tokens: readonly RuleToken[]) {}

  parseRoot(): RuleNode {
    const first = this.peek();
    if (first.kind === 'end') this.fail('the rule is empty; write a condition such as recency_days > 60', first.span);
    const node = this.parseOr();
    const leftover = this.peek();
    if (leftover.kind !== 'end') {
      const hint = isSymbol(leftover, ')')
        ? '; it has no matching "("'
        : startsPrimary(leftover) ? '; is an "and" or "or" missing before it?' : '';
      this.fail(`unexpected "${leftover.text}" at ${describePosition(leftover.span)}${hint}`, leftover.span);
    }
    return node;
  }

  private parseOr(): RuleNode {
    let left = this.parseAnd();
    while (isKeyword(this.peek(), 'or')) {
      const operator = this.next();
      const right = this.parseAnd();
      left = this.built({ kind: 'logical', operator: 'or', left, right, span: joinSpans(left.span, right.span), operatorSpan: operator.span });
    }
    return left;
  }

  private parseAnd(): RuleNode {
    let left = this.parseNot();
    while (isKeyword(this.peek(), 'and')) {
      const operator = this.next();
      const right = this.parseNot();
      left = this.built({ kind: 'logical', operator: 'and', left, right, span: joinSpans(left.span, right.span), operatorSpan: operator.span });
    }
    return left;
  }

  private parseNot(): RuleNode {
    if (!isKeyword(this.peek(), 'not')) return this.parseComparison();
    const not = this.next();
    const operand = this.nested(not.span, () => this.parseNot());
    return this.built({ kind: 'not', operand, span: joinSpans(not.span, operand.span) });
  }

  private parseComparison(): RuleNode {
    const left = this.parseAdditive();
    const node = this.parseComparisonTail(left);
    const after = this.peek();
    if (node !== left && this.startsComparison(after)) {
      this.fail(`comparisons cannot be chained at ${describePosition(after.span)}; join them with "and"`, after.span);
    }
    return node;
  }

  private parseComparisonTail(left: RuleNode): RuleNode {
    const token = this.peek();
    const operator = token.kind === 'symbol' ? COMPARISONS[token.symbol] : undefined;
    if (operator) {
      this.next();
      const right = this.parseAdditive();
      return this.built({ kind: 'compare', operator, left, right, span: joinSpans(left.span, right.span), operatorSpan: token.span });
    }
    if (isKeyword(token, 'is')) {
      this.next();
      const negated = isKeyword(this.peek(), 'not');
      if (negated) this.next();
      const last = this.expect((next) => isKeyword(next, 'null'), `expected "null" or "not null" after "is"`);
      return this.built({ kind: 'is-null', negated, value: left, span: joinSpans(left.span, last.span) });
    }
    if (isKeyword(token, 'not')) {
      this.next();
      const next = this.peek();
      if (!isKeyword(next, 'in') && !isKeyword(next, 'between')) {
        this.fail(`expected "in" or "between" after "${token.text}" at ${describePosition(next.span)}`, next.span);
      }
      return this.parseMembership(left, true);
    }
    if (isKeyword(token, 'in') || isKeyword(token, 'between')) return this.parseMembership(left, false);
    return left;
  }

  /** `in (…)` or `between … and …`, the current token being `in` or `between`. */
  private parseMembership(value: RuleNode, negated: boolean): RuleNode {
    const keyword = this.next();
    if (isKeyword(keyword, 'between')) {
      const low = this.parseAdditive();
      this.expect((next) => isKeyword(next, 'and'), `expected "and" after the lower bound of "${keyword.text}"`);
      const high = this.parseAdditive();
      return this.built({ kind: 'between', negated, value, low, high, span: joinSpans(value.span, high.span) });
    }
    const open = this.expect((next) => isSymbol(next, '('), `expected "(" after "${keyword.text}"`);
    const list: RuleNode[] = [];
    for (;;) {
      list.push(this.nested(open.span, () => this.parseOr()));
      const separator = this.peek();
      if (isSymbol(separator, ',')) this.next();
      else if (isSymbol(separator, ')')) break;
      else this.fail(`expected "," or ")" in the list at ${describePosition(separator.span)}`, separator.span);
    }
    const close = this.next();
    return this.built({ kind: 'in', negated, value, list, span: joinSpans(value.span, close.span) });
  }

  private parseAdditive(): RuleNode {
    let left = this.parseMultiplicative();
    for (let token = this.peek(); isSymbol(token, '+') || isSymbol(token, '-'); token = this.peek()) {
      this.next();
      const right = this.parseMultiplicative();
      left = this.built(arithmetic(token.symbol as ArithmeticOperator, left, right, token.span));
    }
    return left;
  }

  private parseMultiplicative(): RuleNode {
    let left = this.parseUnary();
    for (let token = this.peek(); isSymbol(token, '*') || isSymbol(token, '/') || isSymbol(token, '%'); token = this.peek()) {
      this.next();
      const right = this.parseUnary();
      left = this.built(arithmetic(token.symbol as ArithmeticOperator, left, right, token.span));
    }
    return left;
  }

  private parseUnary(): RuleNode {
    if (!isSymbol(this.peek(), '-')) return this.parsePrimary();
    const minus = this.next();
    const operand = this.nested(minus.span, () => this.parseUnary());
    return this.built({ kind: 'negate', operand, span: joinSpans(minus.span, operand.span) });
  }

  private parsePrimary(): RuleNode {
    const token = this.peek();
    switch (token.kind) {
      case 'number':
        this.next();
        return { kind: 'number', value: token.value, span: token.span };
      case 'string':
        this.next();
        return { kind: 'string', value: token.value, span: token.span };
      case 'identifier':
        this.next();
        return { kind: 'feature', name: token.text, span: token.span };
      case 'keyword':
        if (token.keyword === 'true' || token.keyword === 'false') {
          this.next();
          return { kind: 'boolean', value: token.keyword === 'true', span: token.span };
        }
        if (token.keyword === 'null') {
          this.next();
          return { kind: 'null', span: token.span };
        }
        break;
      case 'symbol':
        if (token.symbol === '(') return this.parseParenthesised();
        break;
      case 'end':
        break;
    }
    const previous = this.tokens[this.position - 1];
    if (previous) this.fail(`expected an expression after "${previous.text}" at ${describePosition(token.span)}`, token.span);
    return this.fail(`unexpected "${token.text}" at ${describePosition(token.span)}`, token.span);
  }

  private parseParenthesised(): RuleNode {
    const open = this.next();
    const inner = this.nested(open.span, () => this.parseOr());
    const close = this.peek();
    if (!isSymbol(close, ')')) {
      const closing = `to close the "(" at ${describePosition(open.span)}`;
      if (close.kind === 'end') this.fail(`expected ")" at ${describePosition(close.span)} ${closing}`, close.span);
      this.fail(`unexpected "${close.text}" at ${describePosition(close.span)}; expected ")" ${closing}`, close.span);
    }
    this.next();
    // A compound operand's span takes in its parentheses, so an error about it
    // underlines what the user grouped; a lone name or literal keeps its own.
    if (ruleChildren(inner).length === 0) return inner;
    return this.built({ ...inner, span: joinSpans(open.span, close.span) });
  }

  private startsComparison(token: RuleToken): boolean {
    if (token.kind === 'symbol') return COMPARISONS[token.symbol] !== undefined;
    return token.kind === 'keyword' && ['is', 'in', 'between', 'not'].includes(token.keyword);
  }

  private built<T extends RuleNode>(node: T): T {
    let tallestChild = 0;
    for (const child of ruleChildren(node)) tallestChild = Math.max(tallestChild, this.heights.get(child) ?? 1);
    const height = tallestChild + 1;
    if (height > MAX_RULE_DEPTH) {
      const at = 'operatorSpan' in node ? node.operatorSpan : node.span;
      this.fail(`the rule has more than ${MAX_RULE_DEPTH} levels of operators at ${describePosition(at)}; write long lists of alternatives as "in (…)"`, at);
    }
    this.heights.set(node, height);
    return node;
  }

  private nested<T>(at: SourceSpan, parse: () => T): T {
    if (++this.depth > MAX_RULE_NESTING) {
      this.fail(`the rule nests deeper than ${MAX_RULE_NESTING} levels at ${describePosition(at)}; simplify it`, at);
    }
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private expect(accepts: (token: RuleToken) => boolean, expectation: string): RuleToken {
    const token = this.peek();
    if (!accepts(token)) this.fail(`${expectation} at ${describePosition(token.span)}`, token.span);
    return this.next();
  }

  private peek(): RuleToken {
    return this.tokens[this.position] as RuleToken;
  }

  private next(): RuleToken {
    const token = this.peek();
    if (token.kind !== 'end') this.position++;
    return token;
  }

  private fail(message: string, span: SourceSpan): never {
    throw new SyntaxFailure(ruleError(message, span));
  }
}

function arithmetic(operator: ArithmeticOperator, left: RuleNode, right: RuleNode, operatorSpan: SourceSpan): RuleNode {
  return { kind: 'arithmetic', operator, left, right, span: joinSpans(left.span, right.span), operatorSpan };
}

function isKeyword(token: RuleToken, keyword: RuleKeyword): boolean {
  return token.kind === 'keyword' && token.keyword === keyword;
}

function isSymbol(token: RuleToken, symbol: RuleSymbol): token is Extract<RuleToken, { kind: 'symbol' }> {
  return token.kind === 'symbol' && token.symbol === symbol;
}

function startsPrimary(token: RuleToken): boolean {
  return token.kind === 'number' || token.kind === 'string' || token.kind === 'identifier' || isSymbol(token, '(')
    || (token.kind === 'keyword' && ['true', 'false', 'null'].includes(token.keyword));
}
