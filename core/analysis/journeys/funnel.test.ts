import { describe, expect, it } from 'vitest';
import { funnel } from './funnel.js';
import type { StateSequences } from './sequences.js';

const [VIEW, CART, CHECKOUT, PURCHASE, SEARCH] = [0, 1, 2, 3, 4];
const STEPS = ['view', 'cart', 'checkout', 'purchase'];

// Five journeys, one per line; times in ms.
const JOURNEYS: { states: number[]; times: number[] }[] = [
  { states: [VIEW, SEARCH, CART, CHECKOUT, PURCHASE], times: [0, 10, 20, 50, 100] }, // all steps, not adjacent
  { states: [CART, VIEW, CHECKOUT], times: [0, 5, 9] }, // cart before view does not count, checkout skips cart
  { states: [VIEW, CART], times: [1000, 1040] },
  { states: [PURCHASE], times: [7] }, // never entered the funnel
  { states: [], times: [] },
];

function build(withTimes: boolean): StateSequences {
  const offsets = [0];
  for (const journey of JOURNEYS) offsets.push((offsets.at(-1) as number) + journey.states.length);
  const sequences: StateSequences = {
    states: Int32Array.from(JOURNEYS.flatMap((journey) => journey.states)),
    offsets: Int32Array.from(offsets),
    stateNames: ['view', 'cart', 'checkout', 'purchase', 'search'],
  };
  return withTimes ? { ...sequences, timestamps: Float64Array.from(JOURNEYS.flatMap((journey) => journey.times)) } : sequences;
}

describe('funnel', () => {
  it('counts steps reached in order, not necessarily adjacent', () => {
    const result = funnel(build(false), STEPS);
    expect(result.sequences).toBe(5);
    expect(result.steps.map((step) => step.reached)).toEqual([3, 2, 1, 1]);
    expect(result.steps.map((step) => step.conversionFromPrevious)).toEqual([3 / 5, 2 / 3, 1 / 2, 1]);
    expect(result.steps.map((step) => step.conversionFromFirst)).toEqual([1, 2 / 3, 1 / 3, 1 / 3]);
    expect(result.steps.map((step) => step.dropOff)).toEqual([2, 1, 1, 0]);
    expect(result.steps[1]?.timeToConvert).toBeUndefined();
  });

  it('depends on the order of the steps', () => {
    const reversed = funnel(build(false), ['cart', 'view']);
    // Only the second journey has a cart followed by a view.
    expect(reversed.steps.map((step) => step.reached)).toEqual([3, 1]);
  });

  it('measures time from the first step with median and p90', () => {
    const result = funnel(build(true), STEPS);
    expect(result.steps[0]?.timeToConvert).toBeUndefined();
    // Cart times are 20 and 40 ms: median 30, p90 20 + 0.9 × 20.
    expect(result.steps[1]?.timeToConvert).toEqual({ count: 2, median: 30, p90: 38 });
    expect(result.steps[3]?.timeToConvert).toEqual({ count: 1, median: 100, p90: 100 });
  });

  it('reports null conversions, not NaN, when nobody reached the previous step', () => {
    const result = funnel(build(true), ['checkout', 'search']);
    expect(result.steps.map((step) => step.reached)).toEqual([2, 0]);
    const empty = funnel({ states: new Int32Array(0), offsets: Int32Array.from([0]), stateNames: ['view', 'cart'] }, ['view', 'cart']);
    expect(empty.steps[0]?.conversionFromPrevious).toBeNull();
    expect(empty.steps[1]?.conversionFromFirst).toBeNull();
  });

  it('names unknown steps', () => {
    expect(() => funnel(build(false), ['view', 'wishlist'])).toThrow(/unknown state\(s\) wishlist/);
  });
});
