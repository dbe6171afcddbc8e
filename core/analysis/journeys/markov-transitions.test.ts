import { describe, expect, it } from 'vitest';
import { markovTransitions, transitionProbability } from './markov-transitions.js';
import type { StateSequences } from './sequences.js';
import { wilsonInterval } from './wilson-interval.js';

// [view, view, cart], [cart], [] (a profile with no mapped events).
const SEQUENCES: StateSequences = {
  states: Int32Array.from([0, 0, 1, 1]),
  offsets: Int32Array.from([0, 3, 4, 4]),
  stateNames: ['view', 'cart'],
};

describe('markovTransitions', () => {
  it('counts transitions framed by start and exit, skipping empty sequences', () => {
    const transitions = markovTransitions(SEQUENCES);
    expect(transitions.stateNames).toEqual(['view', 'cart', 'start', 'exit']);
    // Rows view, cart, start, exit.
    expect([...transitions.counts]).toEqual([1, 1, 0, 0, 0, 0, 0, 2, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(transitions.emptySequences).toBe(1);
    expect(transitions.sequences).toBe(3);
    expect(transitionProbability(transitions, 'start', 'view')).toBe(0.5);
    expect(transitionProbability(transitions, 'cart', 'exit')).toBe(1);
  });

  it('drops self-transitions when collapsing repeats', () => {
    const transitions = markovTransitions(SEQUENCES, { collapseRepeats: true });
    expect(transitionProbability(transitions, 'view', 'view')).toBe(0);
    expect(transitionProbability(transitions, 'view', 'cart')).toBe(1);
  });

  it('gives each cell the Wilson interval of its row', () => {
    const transitions = markovTransitions(SEQUENCES);
    const expected = wilsonInterval(1, 2);
    expect(transitions.lower[2 * 4 + 0]).toBe(expected.lower);
    expect(transitions.upper[2 * 4 + 0]).toBe(expected.upper);
  });

  it('throws on an unknown state name instead of reading 0', () => {
    expect(() => transitionProbability(markovTransitions(SEQUENCES), 'view', 'checkout')).toThrow(/unknown state checkout/);
  });
});

describe('wilsonInterval', () => {
  it('matches the closed form at zero successes: upper = z² / (n + z²)', () => {
    const interval = wilsonInterval(0, 10);
    expect(interval.lower).toBe(0);
    expect(interval.upper).toBeCloseTo(1.959963984540054 ** 2 / (10 + 1.959963984540054 ** 2), 12);
  });

  it('is symmetric around one half and knows nothing without trials', () => {
    const interval = wilsonInterval(5, 10);
    expect(interval.lower + interval.upper).toBeCloseTo(1, 12);
    expect(wilsonInterval(0, 0)).toEqual({ lower: 0, upper: 1 });
    expect(wilsonInterval(10, 10).upper).toBe(1);
  });
});
