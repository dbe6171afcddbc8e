import { describePosition, type ArithmeticOperator, type ComparisonOperator, type RuleNode } from './rule-ast.js';
import { RuleEvaluationError } from './rule-evaluation-error.js';
import { compareScalars, type RuleScalar } from './rule-value-order.js';

export type RuleValue = RuleScalar | null;

/** One profile's features. A feature missing from the row counts as null. */
export type RuleRow = Readonly<Record<string, RuleValue>>;

/**
 * Evaluates a rule on one profile with the semantics of the SQL from
 * `ruleToSql` run in DuckDB: NULL propagates through arithmetic and
 * comparison, `and`/`or`/`not` follow Kleene's three-valued logic, `in` with
 * a NULL in the list is NULL rather than false when nothing matches, and
 * division or `%` by zero is NULL.
 *
 * @returns true (member), false, or null (unknown; also not a member).
 * @throws RuleEvaluationError when a value has the wrong type for its operator.
 */
export function evaluateRule(ast: RuleNode, row: RuleRow): boolean | null {
  const value = evaluate(ast, row);
  if (value === null || typeof value === 'boolean') return value;
  throw wrongType(ast, value, 'a condition (true/false)', 'the rule');
}

function evaluate(node: RuleNode, row: RuleRow): RuleValue {
  switch (node.kind) {
    case 'number':
    case 'string':
    case 'boolean':
      return node.value;
    case 'null':
      return null;
    case 'feature':
      return featureValue(node.name, row, node);
    case 'not': {
      const operand = condition(node.operand, row, 'not');
      return operand === null ? null : !operand;
    }
    case 'logical': {
      // Kleene logic: a decisive side (false for and, true for or) wins over null.
      const decisive = node.operator === 'or';
      const left = condition(node.left, row, node.operator);
      if (left === decisive) return decisive;
      const right = condition(node.right, row, node.operator);
      if (right === decisive) return decisive;
      return left === null || right === null ? null : !decisive;
    }
    case 'negate': {
      const operand = number(node.operand, row, '-');
      return operand === null ? null : -operand;
    }
    case 'arithmetic': {
      const left = number(node.left, row, node.operator);
      const right = number(node.right, row, node.operator);
      return left === null || right === null ? null : arithmetic(node.operator, left, right);
    }
    case 'compare':
      return compare(node, node.operator, evaluate(node.left, row), evaluate(node.right, row));
    case 'in': {
      const value = evaluate(node.value, row);
      let sawNull = false;
      for (const item of node.list) {
        const equal = compare(item, '=', value, evaluate(item, row));
        if (equal === true) return !node.negated;
        if (equal === null) sawNull = true;
      }
      return sawNull ? null : node.negated;
    }
    case 'between': {
      const value = evaluate(node.value, row);
      const aboveLow = compare(node.low, '>=', value, evaluate(node.low, row));
      const belowHigh = compare(node.high, '<=', value, evaluate(node.high, row));
      const inside = aboveLow === false || belowHigh === false ? false : aboveLow === null || belowHigh === null ? null : true;
      return inside === null ? null : inside !== node.negated;
    }
    case 'is-null':
      return (evaluate(node.value, row) === null) !== node.negated;
  }
}

function featureValue(name: string, row: RuleRow, node: RuleNode): RuleValue {
  // hasOwn, so a feature called `constructor` never reads Object.prototype.
  if (!Object.hasOwn(row, name)) return null;
  const value: unknown = row[name];
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  throw new RuleEvaluationError(
    `feature "${name}" at ${describePosition(node.span)} holds a ${typeof value}; rows must hold numbers, strings, booleans or null`,
    node.span,
  );
}

function arithmetic(operator: ArithmeticOperator, left: number, right: number): number | null {
  switch (operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return right === 0 ? null : left / right;
    case '%':
      // JavaScript's % is C's fmod, as DuckDB's is: the sign follows the dividend.
      return right === 0 ? null : left % right;
  }
}

function compare(node: RuleNode, operator: ComparisonOperator, left: RuleValue, right: RuleValue): boolean | null {
  if (left === null || right === null) return null;
  if (typeof left !== typeof right) {
    throw new RuleEvaluationError(
      `cannot compare ${typeof left} ${JSON.stringify(left)} with ${typeof right} ${JSON.stringify(right)} at ${describePosition(node.span)}`,
      node.span,
    );
  }
  const order = compareScalars(left, right);
  switch (operator) {
    case '=':
      return order === 0;
    case '<>':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

function condition(node: RuleNode, row: RuleRow, operator: string): boolean | null {
  const value = evaluate(node, row);
  if (value === null || typeof value === 'boolean') return value;
  throw wrongType(node, value, 'conditions (true/false)', `"${operator}"`);
}

function number(node: RuleNode, row: RuleRow, operator: string): number | null {
  const value = evaluate(node, row);
  if (value === null || typeof value === 'number') return value;
  throw wrongType(node, value, 'numbers', `"${operator}"`);
}

function wrongType(node: RuleNode, value: RuleScalar, wanted: string, user: string): RuleEvaluationError {
  return new RuleEvaluationError(
    `${user} needs ${wanted}, but the value at ${describePosition(node.span)} is ${typeof value} ${JSON.stringify(value)}`,
    node.span,
  );
}
