import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRule } from './rule-parser.js';
import { ruleToSql, stringSql } from './rule-sql.js';

const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

function sql(text: string): string {
  const parsed = parseRule(text);
  if (!parsed.ok) throw new Error(parsed.errors[0]?.message);
  return ruleToSql(parsed.ast, quoteIdentifier);
}

describe('ruleToSql', () => {
  it.each([
    ['recency_days > 60 and frequency_90d >= 3', '(("recency_days" > 60) AND ("frequency_90d" >= 3))'],
    ["not (segment_rfm = 'Champions') or monetary between 100 and 500", `((NOT ("segment_rfm" = 'Champions')) OR ("monetary" BETWEEN 100 AND 500))`],
    ["country in ('UK', 'FR')", `("country" IN ('UK', 'FR'))`],
    ["country not in ('UK') and x not between 1 and 2", `(("country" NOT IN ('UK')) AND ("x" NOT BETWEEN 1 AND 2))`],
    ['avg_order_value * frequency >= 1000', '((CAST("avg_order_value" AS DOUBLE) * CAST("frequency" AS DOUBLE)) >= 1000)'],
    ['purchase_velocity_hours is null', '("purchase_velocity_hours" IS NULL)'],
    ['purchase_velocity_hours is not null', '("purchase_velocity_hours" IS NOT NULL)'],
    ['a or b and c', '("a" OR ("b" AND "c"))'],
    ['a == 1 or b != 2 or c <> 3', '((("a" = 1) OR ("b" <> 2)) OR ("c" <> 3))'],
    ['monetary / frequency > 50', '((CAST("monetary" AS DOUBLE) / NULLIF(CAST("frequency" AS DOUBLE), 0)) > 50)'],
    ['events % 2 = 0', '((CAST("events" AS DOUBLE) % NULLIF(CAST(2 AS DOUBLE), 0)) = 0)'],
    ['x > -60 and x < 0.5', '(("x" > (-60)) AND ("x" < CAST(0.5 AS DOUBLE)))'],
    ['- -x = 1e21', '((-(-CAST("x" AS DOUBLE))) = CAST(1e+21 AS DOUBLE))'],
    ['x - -1 = 0', '((CAST("x" AS DOUBLE) - CAST(-1 AS DOUBLE)) = 0)'],
    ['flag = TRUE and not other', '(("flag" = TRUE) AND (NOT "other"))'],
  ])('%s', (rule, expected) => {
    expect(sql(rule)).toBe(expected);
  });

  it('quotes names through the injected function', () => {
    const parsed = parseRule('x > 1');
    if (!parsed.ok) throw new Error('parse');
    expect(ruleToSql(parsed.ast, (name) => `features.${name}`)).toBe('(features.x > 1)');
  });

  it('escapes quotes and splices NUL, which would end the statement early', () => {
    expect(stringSql("x'); drop table t; --")).toBe("'x''); drop table t; --'");
    expect(stringSql('a\\')).toBe("'a\\'");
    expect(stringSql('a\0b')).toBe("('a' || chr(0) || 'b')");
  });
});

describe('ruleToSql in DuckDB', () => {
  let connection: DuckDBConnection;

  beforeAll(async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await connection.run(`CREATE TABLE t AS SELECT * FROM (VALUES
      (1, 'x''); drop table t; --', 'a\\'), (2, 'plain', 'b'), (3, 'x', 'a' || chr(0) || 'b')) v(id, name, other)`);
  });

  afterAll(() => {
    connection.closeSync();
  });

  async function matching(rule: string): Promise<number[]> {
    const reader = await connection.runAndReadAll(`SELECT id FROM t WHERE ${sql(rule)} ORDER BY id`);
    return reader.getRowObjects().map((row) => Number(row.id));
  }

  it('keeps an injection attempt inside one string literal', async () => {
    expect(await matching("name = 'x''); drop table t; --'")).toEqual([1]);
    expect(await matching("name = 'x'') or 1=1 or (''x'")).toEqual([]);
    const count = await connection.runAndReadAll('SELECT count(*) AS n FROM t');
    expect(Number(count.getRowObjects()[0]?.n)).toBe(3);
  });

  it('treats backslashes and NUL as ordinary characters', async () => {
    expect(await matching("other = 'a\\'")).toEqual([1]);
    expect(await matching("other = 'a\0b'")).toEqual([3]);
  });

  it('turns division by zero into NULL for DOUBLE columns too', async () => {
    await connection.run('CREATE TABLE numbers AS SELECT 1.0::DOUBLE AS x, 0.0::DOUBLE AS zero');
    const reader = await connection.runAndReadAll(`SELECT ${sql('x / zero > 0')} AS a, ${sql('x % zero = 0')} AS b, x / zero AS raw FROM numbers`);
    expect(reader.getRowObjects()[0]).toEqual({ a: null, b: null, raw: Infinity });
  });
});
