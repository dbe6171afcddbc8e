import type { RuleNode } from './rule-ast.js';

/**
 * Compiles a rule to a DuckDB boolean expression for a `WHERE` clause.
 *
 * Every operator is parenthesised, so the SQL never depends on DuckDB's
 * precedence table agreeing with ours. Two choices keep the SQL in step with
 * `evaluateRule`, which works on JavaScript numbers:
 *
 * - Arithmetic runs in DOUBLE. Feature columns may be BIGINT (counts) and
 *   decimal literals would be DECIMAL; integer arithmetic can overflow into a
 *   query error and DECIMAL is exact where JavaScript is not.
 * - Division and `%` by zero give NULL. DuckDB already does so for integers,
 *   but for DOUBLE it returns ±Infinity or NaN; `NULLIF(divisor, 0)` makes
 *   the answer independent of the column type.
 *
 * The result uses SQL three-valued logic: NULL means "not a member" in WHERE.
 * Run `checkRule` first: this function trusts the rule to be well typed.
 *
 * @param quoteIdentifier turns a feature name into a column reference, e.g.
 *   `(name) => '"' + name.replaceAll('"', '""') + '"'`.
 */
export function ruleToSql(ast: RuleNode, quoteIdentifier: (name: string) => string): string {
  const sql = (node: RuleNode): string => {
    switch (node.kind) {
      case 'number':
        return numberSql(node.value);
      case 'string':
        return stringSql(node.value);
      case 'boolean':
        return node.value ? 'TRUE' : 'FALSE';
      case 'null':
        return 'NULL';
      case 'feature':
        return quoteIdentifier(node.name);
      case 'not':
        return `(NOT ${sql(node.operand)})`;
      case 'logical':
        return `(${sql(node.left)} ${node.operator.toUpperCase()} ${sql(node.right)})`;
      case 'negate':
        // Never `--`: the operand is a parenthesised node, a CAST or an unsigned literal.
        return node.operand.kind === 'number' ? `(-${numberSql(node.operand.value)})` : `(-${double(node.operand)})`;
      case 'arithmetic': {
        const left = double(node.left);
        const right = double(node.right);
        if (node.operator === '/' || node.operator === '%') return `(${left} ${node.operator} NULLIF(${right}, 0))`;
        return `(${left} ${node.operator} ${right})`;
      }
      case 'compare':
        return `(${sql(node.left)} ${node.operator} ${sql(node.right)})`;
      case 'in':
        return `(${sql(node.value)} ${node.negated ? 'NOT IN' : 'IN'} (${node.list.map(sql).join(', ')}))`;
      case 'between':
        return `(${sql(node.value)} ${node.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${sql(node.low)} AND ${sql(node.high)})`;
      case 'is-null':
        return `(${sql(node.value)} ${node.negated ? 'IS NOT NULL' : 'IS NULL'})`;
    }
  };

  /** An arithmetic operand as DOUBLE; results of arithmetic already are. */
  const double = (node: RuleNode): string => {
    if (node.kind === 'arithmetic') return sql(node);
    if (node.kind === 'number') return `CAST(${numberLiteral(node.value)} AS DOUBLE)`;
    if (node.kind === 'negate' && node.operand.kind === 'number') return `CAST(${numberLiteral(-node.operand.value)} AS DOUBLE)`;
    if (node.kind === 'negate') return sql(node);
    return `CAST(${sql(node)} AS DOUBLE)`;
  };

  return sql(ast);
}

/**
 * Whole numbers stay plain (`60` reads better and compares exactly); others
 * become DOUBLE, since DuckDB would read `0.1` as an exact DECIMAL.
 */
function numberSql(value: number): string {
  if (!Number.isSafeInteger(value) || Object.is(value, -0)) return `CAST(${numberLiteral(value)} AS DOUBLE)`;
  // Parenthesised when negative (only hand-built trees have those) so `-` never meets `-`.
  return value < 0 ? `(${value})` : String(value);
}

/** JavaScript's shortest round-trip form; DuckDB reads it back to the same double. */
function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) {
    // The parser cannot produce these, but a hand-built tree could.
    return Number.isNaN(value) ? "'NaN'" : value > 0 ? "'Infinity'" : "'-Infinity'";
  }
  return Object.is(value, -0) ? '-0.0' : String(value);
}

/**
 * A SQL string literal that no input can break out of. DuckDB strings treat
 * only `'` as special (backslashes are literal), so doubling it suffices; NUL
 * is spliced in with `chr(0)` because the client API passes SQL as a C string
 * and would cut the statement at the first NUL byte.
 */
export function stringSql(value: string): string {
  const parts = value.split('\0').map((part) => `'${part.replaceAll("'", "''")}'`);
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(" || chr(0) || ")})`;
}
