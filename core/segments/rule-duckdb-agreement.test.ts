import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RANDOM_RULE_FEATURES, randomRule, seededRandom } from './random-rule.test-support.js';
import { checkRule } from './rule-check.js';
import { evaluateRule, type RuleRow } from './rule-evaluate.js';
import { parseRule } from './rule-parser.js';
import { ruleToSql } from './rule-sql.js';

const RULES = 200;
const ROWS = 40;
const SEED = 20_240_611;

const INTEGERS = [-3, -1, 0, 0, 1, 2, 3, 5];
// Includes values where DOUBLE differs from DECIMAL (0.1 + 0.2), overflows to
// Infinity (1e308 * 10), and NaN, which DuckDB orders above everything.
const DOUBLES = [0, -0, 0.5, -1.5, 2.5, 0.1, 0.2, 0.30000000000000004, 3, 1e308, -1e308, Number.NaN];
const STRINGS = ['UK', 'uk', '', "O'Brien", 'é', 'z', '😀', '\uFFFD', 'a b'];

interface Profile {
  id: number;
  n_int: number | null;
  n_dbl: number | null;
  s: string | null;
  t: string | null;
  flag: boolean | null;
}

function randomProfiles(random: () => number): Profile[] {
  const maybe = <T>(value: T): T | null => (random() < 0.25 ? null : value);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: ROWS }, (_, id) => ({
    id,
    n_int: maybe(pick(INTEGERS)),
    n_dbl: maybe(pick(DOUBLES)),
    s: maybe(pick(STRINGS)),
    t: maybe(pick(STRINGS)),
    flag: maybe(random() < 0.5),
  }));
}

function literal(value: number | string | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === 'number') return `CAST('${Object.is(value, -0) ? '-0.0' : String(value)}' AS DOUBLE)`;
  return value ? 'TRUE' : 'FALSE';
}

describe('evaluateRule agrees with DuckDB running ruleToSql', () => {
  const random = seededRandom(SEED);
  const profiles = randomProfiles(random);
  const rules = Array.from({ length: RULES }, () => randomRule(random, 1 + Math.floor(random() * 4)));
  let connection: DuckDBConnection;

  beforeAll(async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await connection.run('CREATE TABLE profiles (id INTEGER, n_int BIGINT, n_dbl DOUBLE, s VARCHAR, t VARCHAR, flag BOOLEAN)');
    const values = profiles.map((profile) => `(${profile.id}, ${profile.n_int ?? 'NULL'}, ${[profile.n_dbl, profile.s, profile.t, profile.flag].map(literal).join(', ')})`);
    await connection.run(`INSERT INTO profiles VALUES ${values.join(', ')}`);
  });

  afterAll(() => {
    connection.closeSync();
  });

  it(`on ${RULES} random rules over ${ROWS} random profiles`, async () => {
    const mismatches: unknown[] = [];
    const outcomes = { true: 0, false: 0, null: 0 };
    for (const rule of rules) {
      const parsed = parseRule(rule.text);
      if (!parsed.ok) throw new Error(`generated rule did not parse: ${rule.text}\n${parsed.errors[0]?.message}`);
      // Literal nulls are generated on purpose to test NULL semantics; the
      // checker rightly calls `x = null` never true. Anything else is a false alarm.
      const problems = checkRule(parsed.ast, RANDOM_RULE_FEATURES).filter((problem) => !problem.message.includes('never true'));
      expect(problems, rule.text).toEqual([]);
      const compiled = ruleToSql(parsed.ast, (name) => `"${name}"`);
      const reader = await connection.runAndReadAll(`SELECT (${compiled}) AS compiled, (${rule.referenceSql}) AS reference FROM profiles ORDER BY id`);
      const rows = reader.getRowObjects();
      profiles.forEach((profile, index) => {
        const evaluated = evaluateRule(parsed.ast, profile as unknown as RuleRow);
        const { compiled: fromSql, reference } = rows[index] as { compiled: boolean | null; reference: boolean | null };
        outcomes[String(evaluated) as keyof typeof outcomes]++;
        if (evaluated !== fromSql || fromSql !== reference) {
          mismatches.push({ rule: rule.text, compiled, profile, evaluated, fromSql, reference });
        }
      });
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    // Guard against a generator that only ever produces null (or only true):
    // agreement would then prove little.
    const total = RULES * ROWS;
    for (const count of Object.values(outcomes)) expect(count / total).toBeGreaterThan(0.1);
  });
});
