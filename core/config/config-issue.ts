/** One located problem in a mapping file: `file:line:col path: message`. */
export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  /** Dotted path into the document (`segments.2.rule`), or `(root)`. */
  path: string;
  message: string;
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.file}:${issue.line}:${issue.column} ${issue.path}: ${issue.message}`;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(`${issues.length} problem${issues.length === 1 ? '' : 's'} in the mapping:\n${issues.map(formatIssue).join('\n')}`);
  }
}
