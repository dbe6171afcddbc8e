import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyScaler, fitScaler, type ScalingMethod } from './scaling.js';

interface OracleCase { column: string; method: ScalingMethod; input: Array<number | null>; output: Array<number | null> }
const oracle = JSON.parse(readFileSync(new URL('../../test/fixtures/scaling-oracle.json', import.meta.url), 'utf8')) as { cases: OracleCase[] };

describe('scaling matches scikit-learn (test/oracles/scaling.py), to 1e-12', () => {
  for (const testCase of oracle.cases) {
    it(`${testCase.method} on ${testCase.column}`, () => {
      const input = Float64Array.from(testCase.input, (value) => value ?? Number.NaN);
      const output = applyScaler(input, fitScaler(input, testCase.method));
      testCase.output.forEach((expected, index) => {
        if (expected === null) expect(output[index]).toBeNaN();
        else expect(output[index]).toBeCloseTo(expected, 12);
      });
    });
  }
});
