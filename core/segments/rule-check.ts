import { describePosition, quoteRuleString, ruleError, type RuleError, type RuleNode, type SourceSpan } from './rule-ast.js';
import { closestName, knownNamesSentence } from './rule-suggest.js';

/** The value types a feature column can hold. */
export type RuleValueType = 'number' | 'string' | 'boolean';

/** `null` is the bare literal (fits anywhere); `unknown` follows an error already reported. */
type Inferred = RuleValueType | 'null' | 'unknown';

/**
 * Checks a parsed rule against the features that exist: unknown names (with a
 * suggestion) and type mismatches that SQL would either reject or, worse,
 * silently coerce. Returns every problem, sorted by position; empty means the
 * rule is safe to compile and evaluate.
 */
export function checkRule(ast: RuleNode, features: ReadonlyMap<string, RuleValueType>): RuleError[] {
  const errors: RuleError[] = [];
  const report = (message: (where: string) => string, span: SourceSpan): void => {
    errors.push(ruleError(message(describePosition(span)), span));
  };

  const isUnknownFeature = (node: RuleNode): boolean => node.kind === 'feature' && !features.has(node.name);

  const reportUnknown = (node: RuleNode, comparedWithString: boolean): void => {
    if (node.kind !== 'feature') return;
    const closest = closestName(node.name, features.keys());
    // `segment_rfm = Champions` is nearly always a string missing its quotes.
    const hint = closest !== null
      ? `did you mean "${closest}"?`
      : comparedWithString ? `if you meant the text, write ${quoteRuleString(node.name)}` : knownNamesSentence(node.name, features.keys());
    report((where) => `unknown feature "${node.name}" at ${where}; ${hint}`, node.span);
  };

  /** Infers both sides first, so an unknown name can be judged by what it is compared with. */
  const inferPair = (left: RuleNode, right: RuleNode): [Inferred, Inferred] => {
    const leftType = isUnknownFeature(left) ? 'unknown' : infer(left);
    const rightType = isUnknownFeature(right) ? 'unknown' : infer(right);
    if (isUnknownFeature(left)) reportUnknown(left, isTextFeature(right, rightType));
    if (isUnknownFeature(right)) reportUnknown(right, isTextFeature(left, leftType));
    return [leftType, rightType];
  };

  const expectComparable = (left: RuleNode, leftType: Inferred, right: RuleNode, rightType: Inferred, span: SourceSpan): void => {
    if (!isConcrete(leftType) || !isConcrete(rightType) || leftType === rightType) return;
    const hint = quotingHint(left, rightType) || quotingHint(right, leftType);
    report((where) => `cannot compare ${describe(left, leftType)} with ${describe(right, rightType)} at ${where}${hint}`, span);
  };

  const expectType = (node: RuleNode, wanted: RuleValueType, operator: string): void => {
    const type = infer(node);
    if (!isConcrete(type) || type === wanted) return;
    const needs = wanted === 'number' ? 'numbers' : 'conditions (true/false)';
    const hint = wanted === 'boolean' ? conditionHint(node, type) : '';
    report((where) => `"${operator}" needs ${needs}, but ${subject(node)} at ${where} is ${article(type)}${hint}`, node.span);
  };

  const reportNullComparison = (node: RuleNode, negated: boolean): void => {
    if (node.kind !== 'null') return;
    report((where) => `comparing with null at ${where} is never true; use "${negated ? 'is not null' : 'is null'}"`, node.span);
  };

  function infer(node: RuleNode): Inferred {
    switch (node.kind) {
      case 'number':
      case 'string':
      case 'boolean':
        return node.kind;
      case 'null':
        return 'null';
      case 'feature': {
        const type = features.get(node.name);
        if (type) return type;
        reportUnknown(node, false);
        return 'unknown';
      }
      case 'not':
        expectType(node.operand, 'boolean', 'not');
        return 'boolean';
      case 'logical':
        expectType(node.left, 'boolean', node.operator);
        expectType(node.right, 'boolean', node.operator);
        return 'boolean';
      case 'negate':
        expectType(node.operand, 'number', '-');
        return 'number';
      case 'arithmetic':
        expectType(node.left, 'number', node.operator);
        expectType(node.right, 'number', node.operator);
        return 'number';
      case 'compare': {
        const [leftType, rightType] = inferPair(node.left, node.right);
        expectComparable(node.left, leftType, node.right, rightType, node.operatorSpan);
        reportNullComparison(node.left, node.operator === '<>');
        reportNullComparison(node.right, node.operator === '<>');
        return 'boolean';
      }
      case 'in': {
        const valueUnknown = isUnknownFeature(node.value);
        const valueType = valueUnknown ? 'unknown' : infer(node.value);
        const itemTypes = node.list.map((item) => (isUnknownFeature(item) ? 'unknown' : infer(item)));
        if (valueUnknown) reportUnknown(node.value, false);
        node.list.forEach((item, index) => {
          if (isUnknownFeature(item)) reportUnknown(item, isTextFeature(node.value, valueType));
          expectComparable(node.value, valueType, item, itemTypes[index] ?? 'unknown', item.span);
          if (node.negated && item.kind === 'null') {
            report((where) => `null in a "not in" list at ${where} makes the rule never true; remove it`, item.span);
          }
        });
        return 'boolean';
      }
      case 'between': {
        const valueType = infer(node.value);
        for (const bound of [node.low, node.high]) {
          expectComparable(node.value, valueType, bound, infer(bound), bound.span);
          if (!node.negated) reportNullComparison(bound, false);
        }
        return 'boolean';
      }
      case 'is-null':
        infer(node.value);
        return 'boolean';
    }
  }

  const rootType = infer(ast);
  if (isConcrete(rootType) && rootType !== 'boolean') {
    const hint = conditionHint(ast, rootType);
    report((where) => `the rule must be a condition (true/false), but ${subject(ast)} at ${where} is ${article(rootType)}${hint}`, ast.span);
  }
  return errors.sort((a, b) => a.offset - b.offset);
}

/** Only a known text feature on the other side makes a bare word look like a value missing its quotes. */
function isTextFeature(node: RuleNode, type: Inferred): boolean {
  return node.kind === 'feature' && type === 'string';
}

function isConcrete(type: Inferred): type is RuleValueType {
  return type !== 'null' && type !== 'unknown';
}

function article(type: RuleValueType): string {
  return type === 'number' ? 'a number' : type === 'string' ? 'a string' : 'a boolean';
}

/** Names the operand the way the user wrote it when it is short enough to. */
function subject(node: RuleNode): string {
  if (node.kind === 'feature') return node.name;
  if (node.kind === 'number') return String(node.value);
  if (node.kind === 'string') return quoteRuleString(node.value);
  if (node.kind === 'boolean') return String(node.value);
  return 'the expression';
}

function describe(node: RuleNode, type: RuleValueType): string {
  const name = subject(node);
  if (name !== 'the expression') return `${name} (${article(type)})`;
  return type === 'boolean' ? 'a condition' : `${article(type)} expression`;
}

/** `recency_days = '60'` and `country = 44`-style slips get a concrete fix. */
function quotingHint(literal: RuleNode, otherType: RuleValueType): string {
  if (literal.kind === 'string') {
    const trimmed = literal.value.trim();
    const numeric = trimmed !== '' && Number.isFinite(Number(trimmed));
    if ((otherType === 'number' && numeric) || (otherType === 'boolean' && (trimmed === 'true' || trimmed === 'false'))) {
      return `; remove the quotes: ${trimmed}`;
    }
  }
  if ((literal.kind === 'number' || literal.kind === 'boolean') && otherType === 'string') {
    return `; if you meant the text, quote it: ${quoteRuleString(String(literal.value))}`;
  }
  return '';
}

function conditionHint(node: RuleNode, type: RuleValueType): string {
  if (node.kind !== 'feature') return '';
  return type === 'number' ? `; compare it, e.g. ${node.name} > 0` : `; compare it, e.g. ${node.name} = '…'`;
}
