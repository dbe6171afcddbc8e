import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { checkSecretsSet } from '../../core/config/check-mapping.js';
import { formatIssue, type ConfigIssue } from '../../core/config/config-issue.js';
import { parseMappingText, type LoadResult } from '../../core/config/load-mapping.js';
import type { LocatedProblem } from '../../core/config/located-problem.js';
import type { Mapping } from '../../core/config/mapping-schema.js';
import { ConnectorError } from '../../core/errors/index.js';
import { fieldCipherFromEnvironment, unencryptedNote } from '../../core/privacy/field-cipher-env.js';
import { wireSources } from '../../connectors/registry.js';
import { fullMappingSchema } from '../mapping-schema.js';

/**
 * Throws the Node system error (ENOENT, EACCES, EISDIR) when the file cannot
 * be read: that is not a problem *in* the mapping at 1:1, and the CLI prints
 * it as one line (`segflow: no such file or directory: PATH`).
 */
export function loadMapping(file: string): LoadResult {
  return parseMappingText(file, readFileSync(file, 'utf8'), fullMappingSchema());
}

export interface ValidateEnvironment {
  /** Where `${env:NAME}` references (and SEGFLOW_PII_ENCRYPTION_KEYS) are looked up. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where notes that are not problems go (PII at rest unencrypted). @default process.stderr */
  note?: (text: string) => void;
}

/**
 * `segflow validate FILE`: every problem, located, then a non-zero exit.
 * Beyond the mapping itself it checks what a run would meet first: each
 * source's files exist (the source's own check, so the same path rules) and
 * each `${env:NAME}` a run would read is set.
 */
export async function validateCommand(file: string, write: (text: string) => void, environment: ValidateEnvironment = {}): Promise<number> {
  const result = loadMapping(file);
  const issues = result.ok ? await environmentIssues(file, result.mapping, result.text, environment.env ?? process.env) : result.issues;
  if (result.ok && issues.length === 0) {
    write(`${file}: ok (${result.mapping.sources.length} source(s), ${result.mapping.segments.length} segmentation(s))\n`);
    // A malformed key list is thrown as a UserError: one line, what a run would refuse with.
    const note = unencryptedNote(fieldCipherFromEnvironment(environment.env ?? process.env));
    if (note !== undefined) (environment.note ?? ((text: string) => process.stderr.write(text)))(`segflow: ${note}\n`);
    return 0;
  }
  for (const issue of issues) write(`${formatIssue(issue)}\n`);
  write(`${issues.length} problem${issues.length === 1 ? '' : 's'} in ${file}\n`);
  return 1;
}

async function environmentIssues(file: string, mapping: Mapping, text: string, env: Readonly<Record<string, string | undefined>>): Promise<ConfigIssue[]> {
  const document = parseDocument(text, { lineCounter: new LineCounter() });
  const problems = [...(await sourceProblems(mapping, dirname(file))), ...checkSecretsSet(document.toJS(), env)];
  return locate(file, text, problems);
}

/**
 * The `check` of each file source (one with a `path`: its files exist, CSV
 * headers hold the mapped columns), as located problems. Sources without a
 * path are left alone: their checks may call a vendor, which validate must not.
 */
async function sourceProblems(mapping: Mapping, baseDir: string): Promise<LocatedProblem[]> {
  const problems: LocatedProblem[] = [];
  const context = { now: () => Date.now(), signal: new AbortController().signal, baseDir };
  for (const [index, entry] of wireSources(mapping).entries()) {
    if (typeof (entry.config as { path?: unknown }).path !== 'string') continue;
    try {
      await entry.source.check(entry.config, context);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const field = error instanceof ConnectorError && error.code.endsWith('.file_missing') ? ['path'] : [];
      problems.push({ path: ['sources', index, ...field], message });
    }
  }
  return problems;
}

/** file:line:col of each problem's node (the deepest that exists on its path). */
function locate(file: string, text: string, problems: readonly LocatedProblem[]): ConfigIssue[] {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  return problems.map((problem) => {
    let offset = 0;
    for (let depth = problem.path.length; depth > 0; depth--) {
      const node = document.getIn(problem.path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) {
        offset = node.range[0];
        break;
      }
    }
    const position = lines.linePos(offset);
    return { file, line: position.line, column: position.col, path: problem.path.join('.'), message: problem.message };
  }).sort((a, b) => a.line - b.line || a.column - b.column);
}
