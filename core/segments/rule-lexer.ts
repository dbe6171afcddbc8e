import { describePosition, quoteRuleString, ruleError, type RuleError, type SourceSpan } from './rule-ast.js';

export const RULE_KEYWORDS = ['and', 'or', 'not', 'in', 'between', 'is', 'null', 'true', 'false'] as const;
export type RuleKeyword = (typeof RULE_KEYWORDS)[number];

const SYMBOLS = ['=', '==', '!=', '<>', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '(', ')', ','] as const;
export type RuleSymbol = (typeof SYMBOLS)[number];

export type RuleToken =
  | { readonly kind: 'number'; readonly value: number; readonly text: string; readonly span: SourceSpan }
  | { readonly kind: 'string'; readonly value: string; readonly text: string; readonly span: SourceSpan }
  | { readonly kind: 'identifier'; readonly text: string; readonly span: SourceSpan }
  | { readonly kind: 'keyword'; readonly keyword: RuleKeyword; readonly text: string; readonly span: SourceSpan }
  | { readonly kind: 'symbol'; readonly symbol: RuleSymbol; readonly text: string; readonly span: SourceSpan }
  | { readonly kind: 'end'; readonly text: ''; readonly span: SourceSpan };

export interface LexResult {
  /** Always ends with one `end` token. */
  tokens: RuleToken[];
  errors: RuleError[];
}

const KEYWORDS: ReadonlySet<string> = new Set(RULE_KEYWORDS);
const SYMBOL_SET: ReadonlySet<string> = new Set(SYMBOLS);
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const NUMBER_TAIL = /[A-Za-z0-9_.]*/y;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
const COMPARISON_RUN = /[=<>!]+/y;
const WHITESPACE = /\s/;

/**
 * Operators people bring from other languages, mapped to ours, so the error
 * can say what to type instead of only what is wrong.
 */
const OPERATOR_HINTS: Readonly<Record<string, string>> = {
  '=>': '">="',
  '=<': '"<="',
  '=!': '"!="',
  '><': '"<>"',
  '===': '"="',
  '!==': '"!="',
  '<==': '"<="',
  '>==': '">="',
  '!': '"not" or "!="',
  '&&': '"and"',
  '&': '"and"',
  '||': '"or"',
  '|': '"or"',
  '≥': '">="',
  '≤': '"<="',
  '≠': '"!="',
};
const CURLY_QUOTES = '‘’“”';

/**
 * Splits a rule into tokens. It keeps going after a bad character so that one
 * pass reports every lexical problem, as config tools should.
 */
export function lexRule(text: string): LexResult {
  const lineStarts = [0];
  for (let index = 0; index < text.length; index++) if (text[index] === '\n') lineStarts.push(index + 1);
  const spanOf = (offset: number, length: number): SourceSpan => {
    // Binary search for the last line starting at or before offset.
    let line = 0;
    for (let high = lineStarts.length - 1; line < high; ) {
      const middle = (line + high + 1) >> 1;
      if ((lineStarts[middle] as number) <= offset) line = middle;
      else high = middle - 1;
    }
    return { offset, length, line: line + 1, column: offset - (lineStarts[line] as number) + 1 };
  };

  const tokens: RuleToken[] = [];
  const errors: RuleError[] = [];
  const fail = (message: (where: string) => string, offset: number, length: number): void => {
    const span = spanOf(offset, length);
    errors.push(ruleError(message(describePosition(span)), span));
  };
  const matchAt = (pattern: RegExp, offset: number): string => {
    pattern.lastIndex = offset;
    return pattern.exec(text)?.[0] ?? '';
  };

  let index = 0;
  while (index < text.length) {
    const char = text[index] as string;
    const start = index;
    if (WHITESPACE.test(char)) {
      index++;
    } else if (/[0-9.]/.test(char) && matchAt(NUMBER, index) !== '') {
      const literal = matchAt(NUMBER, index);
      const tail = matchAt(NUMBER_TAIL, index + literal.length);
      index += literal.length + tail.length;
      const written = text.slice(start, index);
      const value = Number(literal);
      if (tail !== '') fail((where) => `invalid number "${written}" at ${where}`, start, written.length);
      else if (!Number.isFinite(value)) fail((where) => `number "${written}" at ${where} is too large`, start, written.length);
      else tokens.push({ kind: 'number', value, text: written, span: spanOf(start, written.length) });
    } else if (/[A-Za-z_]/.test(char)) {
      const word = matchAt(IDENTIFIER, index);
      index += word.length;
      const lower = word.toLowerCase();
      const span = spanOf(start, word.length);
      if (KEYWORDS.has(lower)) tokens.push({ kind: 'keyword', keyword: lower as RuleKeyword, text: word, span });
      else tokens.push({ kind: 'identifier', text: word, span });
    } else if (char === "'") {
      const closed = scanSingleQuoted(text, index);
      if (closed === null) {
        fail((where) => `unterminated string starting at ${where}`, start, text.length - start);
        index = text.length;
      } else {
        index = closed.end;
        tokens.push({ kind: 'string', value: closed.value, text: text.slice(start, index), span: spanOf(start, index - start) });
      }
    } else if (char === '"' || CURLY_QUOTES.includes(char)) {
      // Both are usually a string in the wrong quotes (SQL habits, or a rule
      // pasted from a document); consume to the closing quote so the rest still lexes.
      const closing = char === '"' ? ['"'] : [...CURLY_QUOTES];
      let end = index + 1;
      while (end < text.length && !closing.includes(text[end] as string) && text[end] !== '\n') end++;
      if (end >= text.length || text[end] === '\n') {
        fail((where) => `unterminated string starting at ${where}; strings use single quotes`, start, end - start);
        index = end;
      } else {
        index = end + 1;
        const inner = text.slice(start + 1, end);
        const kind = char === '"' ? 'double quotes' : 'curly quotes';
        fail((where) => `${text.slice(start, index)} at ${where} is in ${kind}; strings use straight single quotes: ${quoteRuleString(inner)}`, start, index - start);
      }
    } else if (/[=<>!]/.test(char)) {
      const run = matchAt(COMPARISON_RUN, index);
      index += run.length;
      if (SYMBOL_SET.has(run)) tokens.push({ kind: 'symbol', symbol: run as RuleSymbol, text: run, span: spanOf(start, run.length) });
      else fail((where) => operatorMessage(run, where), start, run.length);
    } else if (char === '&' || char === '|' || Object.hasOwn(OPERATOR_HINTS, char)) {
      const run = text[index + 1] === char && (char === '&' || char === '|') ? char + char : char;
      index += run.length;
      fail((where) => operatorMessage(run, where), start, run.length);
    } else if (SYMBOL_SET.has(char)) {
      index++;
      tokens.push({ kind: 'symbol', symbol: char as RuleSymbol, text: char, span: spanOf(start, 1) });
    } else {
      const whole = String.fromCodePoint(text.codePointAt(index) as number);
      index += whole.length;
      fail((where) => `unexpected ${JSON.stringify(whole)} at ${where}`, start, whole.length);
    }
  }

  const last = tokens.at(-1);
  const endOffset = last ? last.span.offset + last.span.length : 0;
  tokens.push({ kind: 'end', text: '', span: spanOf(endOffset, 0) });
  return { tokens, errors };
}

function operatorMessage(run: string, where: string): string {
  const hint = Object.hasOwn(OPERATOR_HINTS, run) ? OPERATOR_HINTS[run] : undefined;
  return hint
    ? `"${run}" is not an operator at ${where}; did you mean ${hint}?`
    : `"${run}" is not an operator at ${where}; comparisons are =, !=, <, <=, >, >=`;
}

/** SQL-style string: `''` inside stands for one quote. Null when it never closes. */
function scanSingleQuoted(text: string, open: number): { value: string; end: number } | null {
  let value = '';
  let index = open + 1;
  while (index < text.length) {
    const char = text[index] as string;
    if (char !== "'") {
      value += char;
      index++;
    } else if (text[index + 1] === "'") {
      value += "'";
      index += 2;
    } else {
      return { value, end: index + 1 };
    }
  }
  return null;
}
