/**
 * The syntax tree of a rule segment expression. Every node keeps the span of
 * source text it came from, so checks that run long after parsing (unknown
 * features, type mismatches) can still point at a column.
 */

/** Where a token or node sits in the rule text. */
export interface SourceSpan {
  /** 0-based index into the rule text (UTF-16 code units, as JavaScript strings count). */
  readonly offset: number;
  readonly length: number;
  /** 1-based; rules written as YAML block scalars can span lines. */
  readonly line: number;
  /** 1-based, within `line`. */
  readonly column: number;
}

/** A problem a user can fix, located in the rule text. */
export interface RuleError {
  readonly message: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly length: number;
}

/** `==` is stored as `=`, and `!=` as `<>`: the spelling does not change the meaning. */
export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';
export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';

export interface NumberLiteral { readonly kind: 'number'; readonly value: number; readonly span: SourceSpan }
export interface StringLiteral { readonly kind: 'string'; readonly value: string; readonly span: SourceSpan }
export interface BooleanLiteral { readonly kind: 'boolean'; readonly value: boolean; readonly span: SourceSpan }
export interface NullLiteral { readonly kind: 'null'; readonly span: SourceSpan }
export interface FeatureNode { readonly kind: 'feature'; readonly name: string; readonly span: SourceSpan }

export interface NotNode { readonly kind: 'not'; readonly operand: RuleNode; readonly span: SourceSpan }
export interface NegateNode { readonly kind: 'negate'; readonly operand: RuleNode; readonly span: SourceSpan }

export interface LogicalNode {
  readonly kind: 'logical';
  readonly operator: 'and' | 'or';
  readonly left: RuleNode;
  readonly right: RuleNode;
  readonly span: SourceSpan;
  readonly operatorSpan: SourceSpan;
}

export interface ComparisonNode {
  readonly kind: 'compare';
  readonly operator: ComparisonOperator;
  readonly left: RuleNode;
  readonly right: RuleNode;
  readonly span: SourceSpan;
  readonly operatorSpan: SourceSpan;
}

export interface ArithmeticNode {
  readonly kind: 'arithmetic';
  readonly operator: ArithmeticOperator;
  readonly left: RuleNode;
  readonly right: RuleNode;
  readonly span: SourceSpan;
  readonly operatorSpan: SourceSpan;
}

export interface InNode {
  readonly kind: 'in';
  readonly negated: boolean;
  readonly value: RuleNode;
  /** Never empty: the parser rejects `in ()`. */
  readonly list: readonly RuleNode[];
  readonly span: SourceSpan;
}

export interface BetweenNode {
  readonly kind: 'between';
  readonly negated: boolean;
  readonly value: RuleNode;
  readonly low: RuleNode;
  readonly high: RuleNode;
  readonly span: SourceSpan;
}

export interface IsNullNode {
  readonly kind: 'is-null';
  readonly negated: boolean;
  readonly value: RuleNode;
  readonly span: SourceSpan;
}

export type RuleNode =
  | NumberLiteral
  | StringLiteral
  | BooleanLiteral
  | NullLiteral
  | FeatureNode
  | NotNode
  | NegateNode
  | LogicalNode
  | ComparisonNode
  | ArithmeticNode
  | InNode
  | BetweenNode
  | IsNullNode;

/** The direct children of a node, left to right in source order. */
export function ruleChildren(node: RuleNode): readonly RuleNode[] {
  switch (node.kind) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'null':
    case 'feature':
      return [];
    case 'not':
    case 'negate':
      return [node.operand];
    case 'logical':
    case 'compare':
    case 'arithmetic':
      return [node.left, node.right];
    case 'in':
      return [node.value, ...node.list];
    case 'between':
      return [node.value, node.low, node.high];
    case 'is-null':
      return [node.value];
  }
}

/** "column 7" on the first line, "line 2, column 7" after it. */
export function describePosition(span: SourceSpan): string {
  return span.line === 1 ? `column ${span.column}` : `line ${span.line}, column ${span.column}`;
}

export function ruleError(message: string, span: SourceSpan): RuleError {
  return { message, offset: span.offset, line: span.line, column: span.column, length: span.length };
}

/** The span from the start of `first` to the end of `last`. */
export function joinSpans(first: SourceSpan, last: SourceSpan): SourceSpan {
  return { offset: first.offset, length: last.offset + last.length - first.offset, line: first.line, column: first.column };
}

/** A rule literal as the user would write it: strings single-quoted with `''` escapes. */
export function quoteRuleString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
