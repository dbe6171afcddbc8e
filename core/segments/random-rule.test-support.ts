/**
 * Seeded random rules for the DuckDB agreement test. Each rule comes with
 * reference SQL written here, independently of `ruleToSql`, from the tree the
 * generator built; the rule text uses as few parentheses as precedence allows,
 * so a parser that groups wrongly disagrees with the reference.
 */

/** The table the rules run over; every generated rule type-checks against it. */
export const RANDOM_RULE_FEATURES = new Map([
  ['n_int', 'number'],
  ['n_dbl', 'number'],
  ['s', 'string'],
  ['t', 'string'],
  ['flag', 'boolean'],
] as const);

export interface GeneratedRule {
  text: string;
  referenceSql: string;
}

/** mulberry32: tiny, seedable, good enough to spread test cases. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Binding strength, as in the grammar: a child weaker than its slot needs parentheses. */
const LEVEL = { or: 1, and: 2, not: 3, compare: 4, additive: 5, multiplicative: 6, unary: 7, primary: 8 } as const;

interface Piece {
  text: string;
  sql: string;
  level: number;
}

const NUMBER_TEXTS = ['0', '1', '2', '3', '10', '0.5', '2.5', '0.1', '0.2', '0.3', '1e3', '.5', '1E-1'];
const STRING_VALUES = ['UK', 'uk', '', "O'Brien", 'é', 'z', '😀', '\uFFFD', 'a b'];
const COMPARISONS: readonly (readonly [string, string])[] = [
  ['=', '='], ['==', '='], ['!=', '<>'], ['<>', '<>'], ['<', '<'], ['<=', '<='], ['>', '>'], ['>=', '>='],
];

export function randomRule(random: () => number, depth: number): GeneratedRule {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (probability: number): boolean => random() < probability;
  const keyword = (word: string): string => pick([word, word.toUpperCase(), word[0]?.toUpperCase() + word.slice(1)]);
  const gap = (): string => pick([' ', ' ', ' ', '  ', '\n']);
  const slot = (piece: Piece, level: number): string => (piece.level < level || chance(0.08) ? `(${piece.text})` : piece.text);
  const quote = (value: string): string => `'${value.replaceAll("'", "''")}'`;

  const nullOf = (sqlType: string): Piece => ({ text: keyword('null'), sql: `CAST(NULL AS ${sqlType})`, level: LEVEL.primary });

  const number = (budget: number): Piece => {
    const roll = random();
    if (budget <= 0 || roll < 0.45) {
      if (chance(0.06)) return nullOf('DOUBLE');
      if (chance(0.5)) {
        const name = pick(['n_int', 'n_dbl']);
        return { text: name, sql: `CAST(${name} AS DOUBLE)`, level: LEVEL.primary };
      }
      const text = pick(NUMBER_TEXTS);
      return { text, sql: `CAST(${Number(text)} AS DOUBLE)`, level: LEVEL.primary };
    }
    if (roll < 0.55) {
      const operand = number(budget - 1);
      return { text: `-${slot(operand, LEVEL.unary)}`, sql: `(-${operand.sql})`, level: LEVEL.unary };
    }
    const operator = pick(['+', '-', '*', '/', '%']);
    const level = operator === '+' || operator === '-' ? LEVEL.additive : LEVEL.multiplicative;
    const left = number(budget - 1);
    const right = number(budget - 1);
    const rightSql = operator === '/' || operator === '%' ? `NULLIF(${right.sql}, 0)` : right.sql;
    return { text: `${slot(left, level)} ${operator} ${slot(right, level + 1)}`, sql: `(${left.sql} ${operator} ${rightSql})`, level };
  };

  const string = (): Piece => {
    if (chance(0.08)) return nullOf('VARCHAR');
    if (chance(0.5)) {
      const name = pick(['s', 't']);
      return { text: name, sql: name, level: LEVEL.primary };
    }
    const value = pick(STRING_VALUES);
    return { text: quote(value), sql: quote(value), level: LEVEL.primary };
  };

  /** A value of a random type, and a generator for more of the same type. */
  const operands = (budget: number): [Piece, () => Piece] => {
    const type = pick(['number', 'number', 'string', 'boolean'] as const);
    const make = type === 'number' ? () => number(budget - 1) : type === 'string' ? string : () => condition(budget - 1);
    return [make(), make];
  };

  const condition = (budget: number): Piece => {
    const roll = budget <= 0 ? random() * 0.3 : random();
    if (roll < 0.1) {
      if (chance(0.15)) return nullOf('BOOLEAN');
      if (chance(0.3)) {
        const value = chance(0.5);
        return { text: keyword(String(value)), sql: value ? 'TRUE' : 'FALSE', level: LEVEL.primary };
      }
      return { text: 'flag', sql: 'flag', level: LEVEL.primary };
    }
    if (roll < 0.3) {
      const [left, more] = operands(budget);
      const right = more();
      const [written, sql] = pick(COMPARISONS);
      return { text: `${slot(left, LEVEL.additive)} ${written} ${slot(right, LEVEL.additive)}`, sql: `(${left.sql} ${sql} ${right.sql})`, level: LEVEL.compare };
    }
    if (roll < 0.4) {
      const [value, more] = operands(budget);
      const items = Array.from({ length: 1 + Math.floor(random() * 3) }, more);
      const negated = chance(0.4);
      return {
        text: `${slot(value, LEVEL.additive)} ${negated ? `${keyword('not')} ` : ''}${keyword('in')}${gap()}(${items.map((item) => item.text).join(', ')})`,
        sql: `(${value.sql} ${negated ? 'NOT IN' : 'IN'} (${items.map((item) => item.sql).join(', ')}))`,
        level: LEVEL.compare,
      };
    }
    if (roll < 0.5) {
      const [value, more] = operands(budget);
      const [low, high] = [more(), more()];
      const negated = chance(0.4);
      return {
        text: `${slot(value, LEVEL.additive)} ${negated ? `${keyword('not')} ` : ''}${keyword('between')} ${slot(low, LEVEL.additive)} ${keyword('and')} ${slot(high, LEVEL.additive)}`,
        sql: `(${value.sql} ${negated ? 'NOT BETWEEN' : 'BETWEEN'} ${low.sql} AND ${high.sql})`,
        level: LEVEL.compare,
      };
    }
    if (roll < 0.58) {
      const [value] = operands(budget);
      const negated = chance(0.5);
      return {
        text: `${slot(value, LEVEL.additive)} ${keyword('is')} ${negated ? `${keyword('not')} ` : ''}${keyword('null')}`,
        sql: `(${value.sql} ${negated ? 'IS NOT NULL' : 'IS NULL'})`,
        level: LEVEL.compare,
      };
    }
    if (roll < 0.68) {
      const operand = condition(budget - 1);
      return { text: `${keyword('not')} ${slot(operand, LEVEL.not)}`, sql: `(NOT ${operand.sql})`, level: LEVEL.not };
    }
    const operator = chance(0.5) ? 'and' : 'or';
    const level = operator === 'and' ? LEVEL.and : LEVEL.or;
    const left = condition(budget - 1);
    const right = condition(budget - 1);
    return {
      text: `${slot(left, level)}${gap()}${keyword(operator)}${gap()}${slot(right, level + 1)}`,
      sql: `(${left.sql} ${operator.toUpperCase()} ${right.sql})`,
      level,
    };
  };

  const rule = condition(depth);
  return { text: rule.text, referenceSql: rule.sql };
}
