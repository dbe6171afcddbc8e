/**
 * A strict parser for the SOQL subset a sync needs:
 *
 *   SELECT f1, f2 FROM Object [WHERE cond (AND cond)*] [LIMIT n]
 *   cond := Field = 'literal' | Field IN ('a', 'b', ...)
 *
 * Anything else (OR, LIKE, subqueries, relationship paths, ORDER BY …) is a
 * MALFORMED_QUERY, so a client that drifts from these shapes fails loudly in
 * tests instead of silently matching nothing.
 */
export interface SoqlCondition {
  field: string;
  /** `=` compares with one value; `IN` with several. */
  values: Array<string | boolean>;
}

export interface SoqlQuery {
  fields: string[];
  object: string;
  conditions: SoqlCondition[];
  limit?: number;
}

export class SoqlSyntaxError extends Error {}

type Token = { kind: 'word'; text: string } | { kind: 'string'; text: string } | { kind: 'number'; text: string } | { kind: 'symbol'; text: string };

const KEYWORDS = new Set(['SELECT', 'FROM', 'WHERE', 'AND', 'IN', 'LIMIT']);
const ESCAPES: Record<string, string> = { "'": "'", '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r' };

export function parseSoql(soql: string): SoqlQuery {
  const tokens = tokenize(soql);
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const describeToken = (token: Token | undefined) => (token ? `'${token.text}'` : 'end of query');
  const fail = (expected: string): never => {
    throw new SoqlSyntaxError(`unexpected token: ${describeToken(peek())}, expected ${expected}`);
  };
  const keyword = (word: string): void => {
    const token = peek();
    if (token?.kind === 'word' && token.text.toUpperCase() === word) position += 1;
    else fail(word);
  };
  const isKeyword = (word: string): boolean => {
    const token = peek();
    return token?.kind === 'word' && token.text.toUpperCase() === word;
  };
  const identifier = (): string => {
    const token = peek();
    if (token?.kind !== 'word' || KEYWORDS.has(token.text.toUpperCase()) || !/^[A-Za-z][A-Za-z0-9_]*$/.test(token.text)) return fail('a field or object name');
    position += 1;
    return token.text;
  };
  const symbol = (text: string): void => {
    const token = peek();
    if (token?.kind === 'symbol' && token.text === text) position += 1;
    else fail(`'${text}'`);
  };
  const literal = (): string | boolean => {
    const token = peek();
    if (token?.kind === 'string') {
      position += 1;
      return token.text;
    }
    if (token?.kind === 'word' && /^(true|false)$/i.test(token.text)) {
      position += 1;
      return token.text.toLowerCase() === 'true';
    }
    return fail('a quoted value');
  };

  keyword('SELECT');
  const fields = [identifier()];
  while (peek()?.text === ',') {
    symbol(',');
    fields.push(identifier());
  }
  keyword('FROM');
  const object = identifier();
  const conditions: SoqlCondition[] = [];
  if (isKeyword('WHERE')) {
    keyword('WHERE');
    do {
      if (conditions.length > 0) keyword('AND');
      const field = identifier();
      if (isKeyword('IN')) {
        keyword('IN');
        symbol('(');
        const values = [literal()];
        while (peek()?.text === ',') {
          symbol(',');
          values.push(literal());
        }
        symbol(')');
        conditions.push({ field, values });
      } else {
        symbol('=');
        conditions.push({ field, values: [literal()] });
      }
    } while (isKeyword('AND'));
  }
  let limit: number | undefined;
  if (isKeyword('LIMIT')) {
    keyword('LIMIT');
    const token = peek();
    if (token?.kind !== 'number') return fail('a number');
    position += 1;
    limit = Number(token.text);
  }
  if (position < tokens.length) fail('end of query');
  return { fields, object, conditions, ...(limit === undefined ? {} : { limit }) };
}

function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < soql.length) {
    const char = soql[index] ?? '';
    if (/\s/.test(char)) {
      index += 1;
    } else if (char === "'") {
      let text = '';
      index += 1;
      for (;;) {
        const next = soql[index];
        if (next === undefined) throw new SoqlSyntaxError('unterminated quoted string');
        if (next === '\\') {
          const escaped = soql[index + 1];
          const replacement = escaped === undefined ? undefined : ESCAPES[escaped];
          if (replacement === undefined) throw new SoqlSyntaxError(`invalid escape sequence \\${escaped ?? ''}`);
          text += replacement;
          index += 2;
        } else if (next === "'") {
          index += 1;
          break;
        } else {
          text += next;
          index += 1;
        }
      }
      tokens.push({ kind: 'string', text });
    } else if (',()='.includes(char)) {
      tokens.push({ kind: 'symbol', text: char });
      index += 1;
    } else {
      const match = /^[A-Za-z0-9_.]+/.exec(soql.slice(index));
      if (!match) throw new SoqlSyntaxError(`unexpected character: '${char}'`);
      tokens.push({ kind: /^[0-9]+$/.test(match[0]) ? 'number' : 'word', text: match[0] });
      index += match[0].length;
    }
  }
  return tokens;
}
