/**
 * A generated world with known transition probabilities: 20k journeys drawn
 * from a fixed Markov chain with a seeded RNG. The estimates must land where
 * the statistics say they should, and the absorbing-chain solve must match an
 * independent fixed-point iteration on the true chain.
 */
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../random/rng.js';
import { absorbingChain, absorptionProbability, expectedStepsFrom } from './absorbing-chain.js';
import { markovTransitions } from './markov-transitions.js';
import type { StateSequences } from './sequences.js';
import { Z_95, Z_99 } from './wilson-interval.js';

const STATES = ['view', 'cart', 'checkout', 'purchase'];
const NAMES = [...STATES, 'start', 'exit'];
const SIZE = NAMES.length;
const START = 4;
const EXIT = 5;
// Rows: view, cart, checkout, purchase, start, exit; columns in the same order.
const TRUE_CHAIN = Float64Array.from([
  0.3, 0.25, 0.05, 0, 0, 0.4,
  0.2, 0.05, 0.35, 0, 0, 0.4,
  0.05, 0.1, 0, 0.6, 0, 0.25,
  0.2, 0, 0, 0.05, 0, 0.75,
  0.7, 0.2, 0.1, 0, 0, 0,
  0, 0, 0, 0, 0, 0,
]);

function sample(rng: Rng, from: number): number {
  const draw = rng.next();
  let cumulative = 0;
  for (let to = 0; to < SIZE; to++) {
    cumulative += TRUE_CHAIN[from * SIZE + to] as number;
    if (draw < cumulative) return to;
  }
  return EXIT; // rounding at the very top of the row
}

function simulate(seed: number, count: number): StateSequences {
  const rng = createRng(seed);
  const states: number[] = [];
  const offsets = [0];
  for (let sequence = 0; sequence < count; sequence++) {
    for (let state = sample(rng, START); state !== EXIT; state = sample(rng, state)) states.push(state);
    offsets.push(states.length);
  }
  return { states: Int32Array.from(states), offsets: Int32Array.from(offsets), stateNames: STATES };
}

/** h = Q h + r by plain fixed-point iteration: a different method from the LU solve under test. */
function iterateAbsorption(target: number, absorbing: readonly number[]): Float64Array {
  let h = new Float64Array(SIZE);
  for (let round = 0; round < 100_000; round++) {
    const next = new Float64Array(SIZE);
    for (let from = 0; from < SIZE; from++) {
      if (absorbing.includes(from)) continue;
      let sum = 0;
      for (let to = 0; to < SIZE; to++) {
        const p = TRUE_CHAIN[from * SIZE + to] as number;
        sum += to === target ? p : absorbing.includes(to) ? 0 : p * (h[to] as number);
      }
      next[from] = sum;
    }
    const change = Math.max(...next.map((value, index) => Math.abs(value - (h[index] as number))));
    h = next;
    if (change < 1e-16) break;
  }
  return h;
}

/** t = 1 + Q t, iterated the same way. */
function iterateSteps(absorbing: readonly number[]): Float64Array {
  let t = new Float64Array(SIZE);
  for (let round = 0; round < 100_000; round++) {
    const next = new Float64Array(SIZE);
    for (let from = 0; from < SIZE; from++) {
      if (absorbing.includes(from)) continue;
      let sum = 1;
      for (let to = 0; to < SIZE; to++) if (!absorbing.includes(to)) sum += (TRUE_CHAIN[from * SIZE + to] as number) * (t[to] as number);
      next[from] = sum;
    }
    const change = Math.max(...next.map((value, index) => Math.abs(value - (t[index] as number))));
    t = next;
    if (change < 1e-14) break;
  }
  return t;
}

describe('a simulated world with a known chain', () => {
  const world = simulate(20_260_112, 20_000);

  it('estimates every transition within its 99% Wilson interval of the truth', () => {
    const estimated = markovTransitions(world, { z: Z_99 });
    expect(estimated.stateNames).toEqual(NAMES);
    const misses: string[] = [];
    for (let from = 0; from < SIZE - 1; from++) {
      for (let to = 0; to < SIZE; to++) {
        const cell = from * SIZE + to;
        const truth = TRUE_CHAIN[cell] as number;
        if (truth < (estimated.lower[cell] as number) || truth > (estimated.upper[cell] as number)) misses.push(`${NAMES[from]}→${NAMES[to]}`);
      }
    }
    expect(misses).toEqual([]);
  });

  it('misses the truth with at most ~10% of the 95% intervals', () => {
    const estimated = markovTransitions(world, { z: Z_95 });
    let possible = 0;
    let outside = 0;
    for (let cell = 0; cell < SIZE * SIZE; cell++) {
      const truth = TRUE_CHAIN[cell] as number;
      if (truth === 0) continue;
      possible++;
      if (truth < (estimated.lower[cell] as number) || truth > (estimated.upper[cell] as number)) outside++;
    }
    expect(possible).toBe(18);
    expect(outside).toBeLessThanOrEqual(2);
  });

  it('never estimates a transition the chain cannot make', () => {
    const estimated = markovTransitions(world);
    TRUE_CHAIN.forEach((truth, cell) => {
      if (truth === 0) expect(estimated.counts[cell]).toBe(0);
    });
    expect(estimated.rowTotals[EXIT]).toBe(0);
    expect(estimated.rowTotals[START]).toBe(20_000);
  });

  it('solves absorption and expected steps of the true chain like an independent iteration, to 1e-9', () => {
    const absorbing = [3, EXIT];
    const chain = absorbingChain({ probabilities: TRUE_CHAIN, size: SIZE, stateNames: NAMES }, ['purchase', 'exit']);
    expect(chain.transientNames).toEqual(['view', 'cart', 'checkout', 'start']);
    const toPurchase = iterateAbsorption(3, absorbing);
    const toExit = iterateAbsorption(EXIT, absorbing);
    const steps = iterateSteps(absorbing);
    chain.transient.forEach((state, row) => {
      const name = NAMES[state] as string;
      expect(Math.abs(absorptionProbability(chain, name, 'purchase') - (toPurchase[state] as number))).toBeLessThan(1e-9);
      expect(Math.abs(absorptionProbability(chain, name, 'exit') - (toExit[state] as number))).toBeLessThan(1e-9);
      expect(Math.abs(expectedStepsFrom(chain, name) - (steps[state] as number))).toBeLessThan(1e-9);
      // Every journey ends somewhere.
      expect((chain.absorption[row * 2] as number) + (chain.absorption[row * 2 + 1] as number)).toBeCloseTo(1, 12);
    });
  });

  it('recovers the purchase rate of the true chain from the simulated data', () => {
    const estimated = markovTransitions(world);
    const fromData = absorbingChain(estimated, ['purchase', 'exit']);
    const truth = absorbingChain({ probabilities: TRUE_CHAIN, size: SIZE, stateNames: NAMES }, ['purchase', 'exit']);
    for (const name of ['start', 'view', 'cart', 'checkout']) {
      expect(Math.abs(absorptionProbability(fromData, name, 'purchase') - absorptionProbability(truth, name, 'purchase'))).toBeLessThan(0.02);
    }
  });
});
