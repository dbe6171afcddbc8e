import type { SourceSpan } from './rule-ast.js';

/**
 * A rule met a value it cannot work with at run time: a row whose feature has
 * the wrong type, or a tree that `checkRule` would have rejected. DuckDB fails
 * the whole query in the same situations, so this is thrown, not turned into
 * "not a member".
 */
export class RuleEvaluationError extends Error {
  override readonly name = 'RuleEvaluationError';
  constructor(
    message: string,
    /** The part of the rule that failed. */
    readonly span: SourceSpan,
  ) {
    super(message);
  }
}
