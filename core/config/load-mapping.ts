import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode, isScalar, type Document } from 'yaml';
import type { z } from 'zod';
import type { ConfigIssue } from './config-issue.js';
import { findLiteralSecrets } from './secrets.js';
import type { Mapping } from './mapping-schema.js';
import { checkMappingSemantics } from './check-mapping.js';
import type { LocatedProblem, PathSegment } from './located-problem.js';

export type LoadResult = { ok: true; mapping: Mapping; text: string } | { ok: false; issues: ConfigIssue[] };

/**
 * Loads a mapping and reports *all* problems at once (YAML syntax, schema,
 * literal secrets, unknown features, bad rules), each located at file:line:col,
 * like Wrangler's diagnostics. Never throws on user input.
 */
export function loadMappingFile(file: string, schema: z.ZodType): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, issues: [{ file, line: 1, column: 1, path: '(root)', message: `cannot read the mapping: ${(error as Error).message}` }] };
  }
  return parseMappingText(file, text, schema);
}

export function parseMappingText(file: string, text: string, schema: z.ZodType): LoadResult {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number, path: string, message: string): ConfigIssue => {
    const position = lines.linePos(offset);
    return { file, line: position.line, column: position.col, path, message };
  };
  if (document.errors.length > 0) {
    return { ok: false, issues: document.errors.map((error) => at(error.pos[0], '(root)', error.message.split('\n')[0] ?? error.message)) };
  }
  const raw: unknown = document.toJS();
  const locate = (problem: LocatedProblem): ConfigIssue => {
    const { offset, pathText } = locateNode(document, problem.path, problem.atKey === true);
    // Inside a one-line string scalar whose source text is its value, point
    // at the character; in block scalars (|, >) or strings with escapes the
    // value's offsets do not map onto the file, so point at the value (the
    // message still says the column within the rule).
    const inner = problem.offset !== undefined ? valueOffset(document, problem.path, text, offset, problem.offset) : offset;
    return at(inner, pathText, problem.message);
  };

  const problems: LocatedProblem[] = findLiteralSecrets(raw);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) problems.push({ path: [...path, key], message: `unknown key "${key}"`, atKey: true });
      } else {
        problems.push({ path, message: issue.message });
      }
    }
  }
  // Semantic checks run even when the schema failed, on whatever parsed, so
  // one pass reports every problem; a path the schema already flagged is not
  // reported twice.
  const flagged = new Set(problems.map((problem) => problem.path.join('.')));
  for (const problem of checkMappingSemantics(parsed.success ? parsed.data : raw)) {
    if (!flagged.has(problem.path.join('.'))) problems.push(problem);
  }
  if (problems.length > 0) {
    const issues = problems.map(locate);
    issues.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, issues };
  }
  return { ok: true, mapping: parsed.data as Mapping, text };
}

/** The deepest node that exists on the path: a missing key points at its parent. */
function locateNode(document: Document, path: PathSegment[], preferKey: boolean): { offset: number; pathText: string } {
  const pathText = path.length === 0 ? '(root)' : path.join('.');
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      // Unknown keys point at the key itself, not its value.
      if (preferKey && depth === path.length && depth > 0) {
        const keyOffset = keyOffsetOf(document, path);
        if (keyOffset !== null) return { offset: keyOffset, pathText };
      }
      return { offset: node.range[0], pathText };
    }
  }
  return { offset: 0, pathText };
}

function keyOffsetOf(document: Document, path: PathSegment[]): number | null {
  const parent = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (!parent || typeof parent !== 'object' || !('items' in parent) || typeof last !== 'string') return null;
  for (const item of (parent as { items: unknown[] }).items) {
    const key = (item as { key?: { value?: unknown; range?: [number, number, number] } }).key;
    if (key && key.value === last && key.range) return key.range[0];
  }
  return null;
}

function valueOffset(document: Document, path: PathSegment[], text: string, start: number, offsetInValue: number): number {
  const node = document.getIn(path, true);
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return start;
  const quote = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
  if (node.type !== 'PLAIN' && quote === 0) return start;
  const source = text.slice(node.range[0] + quote, node.range[1] - quote);
  return source === node.value ? start + quote + offsetInValue : start;
}
