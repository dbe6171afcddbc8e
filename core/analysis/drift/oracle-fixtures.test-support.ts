/** Reads the committed oracle output of test/oracles/drift_oracle.py. */
import { readFileSync } from 'node:fs';

export function loadDriftFixture<Case>(name: 'psi' | 'ks' | 'kstwo' | 'charts'): Case[] {
  const url = new URL(`../../../test/fixtures/drift/${name}.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: Case[] }).cases;
}

/** |actual − expected| / |expected|, 0 when both are equal (including 0 = 0). */
export function relativeError(actual: number, expected: number): number {
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.abs(expected);
}

export function maxRelativeError(actual: ArrayLike<number>, expected: readonly number[]): number {
  let worst = 0;
  for (let index = 0; index < expected.length; index++) {
    worst = Math.max(worst, relativeError(actual[index] as number, expected[index] as number));
  }
  return worst;
}
