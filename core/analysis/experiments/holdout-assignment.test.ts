import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../random/rng.js';
import { chiSquareIndependence } from '../validation/index.js';
import { assignArm, holdoutPosition, type Arm } from './index.js';

interface HoldoutOracle { salt: string; holdout_share: number; cases: Array<{ id: string; u: number; arm: Arm }> }
const oracle = JSON.parse(readFileSync(new URL('../../../test/fixtures/stats/holdout.json', import.meta.url), 'utf8')) as HoldoutOracle;

/** 10k profile ids from a fixed seed, shaped like the ids the identity stage emits. */
function population(seed: number, size: number): string[] {
  const rng = createRng(seed);
  return Array.from({ length: size }, () => `p_${rng.uint32().toString(16).padStart(8, '0')}${rng.uint32().toString(16).padStart(8, '0')}`);
}

describe('holdout assignment', () => {
  it.each(oracle.cases)('matches Python hashlib for id "$id" (bit for bit, so every machine agrees)', ({ id, u, arm }) => {
    expect(holdoutPosition(oracle.salt, id)).toBe(u);
    expect(assignArm(id, { salt: oracle.salt, holdoutShare: oracle.holdout_share })).toBe(arm);
  });

  it('pins a few assignments, so a change to the hashing is caught even if the fixture is regenerated', () => {
    const options = { salt: oracle.salt, holdoutShare: oracle.holdout_share };
    expect(oracle.cases.map((row) => assignArm(row.id, options))).toEqual(oracle.cases.map((row) => row.arm));
    expect(oracle.cases.some((row) => row.arm === 'holdout')).toBe(true);
    expect(oracle.cases.some((row) => row.arm === 'treatment')).toBe(true);
  });

  it('gives the same arm on every call and does not depend on who else is assigned', () => {
    const ids = population(1, 200);
    const options = { salt: 'campaign-a', holdoutShare: 0.3 };
    const first = ids.map((id) => assignArm(id, options));
    const reversed = [...ids].reverse().map((id) => assignArm(id, options)).reverse();
    expect(reversed).toEqual(first);
  });

  it.each([0.01, 0.1, 0.5, 0.9])('holds out a share of %s within ±1% at 10k members', (holdoutShare) => {
    const ids = population(2, 10_000);
    const held = ids.filter((id) => assignArm(id, { salt: 'spring-sale', holdoutShare }) === 'holdout').length;
    expect(Math.abs(held / ids.length - holdoutShare)).toBeLessThan(0.01);
  });

  it('growing the share only moves members from treatment into holdout', () => {
    const ids = population(3, 2000);
    for (const id of ids) {
      if (assignArm(id, { salt: 's', holdoutShare: 0.1 }) === 'holdout') expect(assignArm(id, { salt: 's', holdoutShare: 0.2 })).toBe('holdout');
    }
  });

  it('assigns independently across two campaigns (chi-square on the 2 × 2 table, p > 0.01)', () => {
    const ids = population(4, 10_000);
    const table = [[0, 0], [0, 0]];
    for (const id of ids) {
      const first = assignArm(id, { salt: 'campaign-a', holdoutShare: 0.2 }) === 'holdout' ? 1 : 0;
      const second = assignArm(id, { salt: 'campaign-b', holdoutShare: 0.5 }) === 'holdout' ? 1 : 0;
      (table[first] as number[])[second] = ((table[first] as number[])[second] as number) + 1;
    }
    expect(chiSquareIndependence(table).p).toBeGreaterThan(0.01);
  });

  it('rejects a share outside [0, 1], naming the campaign', () => {
    expect(() => assignArm('u', { salt: 'spring', holdoutShare: 1.5 })).toThrow(/holdoutShare.*spring/);
  });
});
