import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { ScalingMethod } from './scaling.js';
import { scalingSql } from './scaling-sql.js';

interface OracleCase { column: string; method: ScalingMethod; input: Array<number | null>; output: Array<number | null> }
const oracle = JSON.parse(readFileSync(new URL('../../test/fixtures/scaling-oracle.json', import.meta.url), 'utf8')) as { cases: OracleCase[] };

describe('SQL scaling matches scikit-learn (test/oracles/scaling.py), to 1e-12', () => {
  for (const testCase of oracle.cases) {
    it(`${testCase.method} on ${testCase.column}`, async () => {
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      await connection.run('CREATE TABLE features (profile_id INTEGER, x DOUBLE)');
      for (const [index, value] of testCase.input.entries()) await connection.run('INSERT INTO features VALUES ($1, $2)', [index, value]);
      for (const statement of scalingSql(testCase.method, ['x'])) await connection.run(statement);
      const reader = await connection.runAndReadAll('SELECT x_scaled FROM features ORDER BY profile_id');
      const output = reader.getRows().map((row) => row[0] as number | null);
      connection.closeSync();
      instance.closeSync();
      testCase.output.forEach((expected, index) => {
        if (expected === null) expect(output[index]).toBeNull();
        else expect(output[index]).toBeCloseTo(expected, 12);
      });
    });
  }
});
