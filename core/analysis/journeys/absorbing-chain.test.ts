import { describe, expect, it } from 'vitest';
import { absorbingChain, absorptionProbability, expectedStepsFrom } from './absorbing-chain.js';
import { luDecompose, luInverse, luSolve } from '../stats/lu-decomposition.js';

// a and b each flip a coin: a → b or lose, b → a or win. By hand: h(a) = 1/3, h(b) = 2/3, two steps from either.
const NAMES = ['a', 'b', 'win', 'lose'];
const COIN = Float64Array.from([
  0, 0.5, 0, 0.5,
  0.5, 0, 0.5, 0,
  0, 0, 1, 0,
  0, 0, 0, 1,
]);

describe('absorbingChain', () => {
  it('matches the hand-solved coin chain', () => {
    const chain = absorbingChain({ probabilities: COIN, size: 4, stateNames: NAMES }, ['win', 'lose']);
    expect(absorptionProbability(chain, 'a', 'win')).toBeCloseTo(1 / 3, 14);
    expect(absorptionProbability(chain, 'b', 'win')).toBeCloseTo(2 / 3, 14);
    expect(expectedStepsFrom(chain, 'a')).toBeCloseTo(2, 14);
    // N = (I − Q)⁻¹ = [[4/3, 2/3], [2/3, 4/3]]
    [4 / 3, 2 / 3, 2 / 3, 4 / 3].forEach((value, index) => expect(chain.fundamental[index]).toBeCloseTo(value, 14));
  });

  it('leaves out states that never occur instead of leaking their probability', () => {
    const withGhost = Float64Array.from([
      0, 0.5, 0, 0.5, 0,
      0.5, 0, 0.5, 0, 0,
      0, 0, 1, 0, 0,
      0, 0, 0, 1, 0,
      0, 0, 0, 0, 0,
    ]);
    const chain = absorbingChain({ probabilities: withGhost, size: 5, stateNames: [...NAMES, 'refund'] }, ['win', 'lose']);
    expect(chain.excluded).toEqual(['refund']);
    expect(absorptionProbability(chain, 'a', 'win')).toBeCloseTo(1 / 3, 14);
  });

  it('refuses a reached state that is never left unless it is listed as absorbing', () => {
    // Like markov output with exit forgotten: a → end, end's row empty.
    const leaky = Float64Array.from([0, 0.5, 0.5, 0, 1, 0, 0, 0, 0]);
    expect(() => absorbingChain({ probabilities: leaky, size: 3, stateNames: ['a', 'win', 'end'] }, ['win'])).toThrow(/end is reached but never left/);
  });

  it('explains a loop that never reaches an absorbing state', () => {
    const loop = Float64Array.from([0, 1, 0, 1, 0, 0, 0, 0, 1]);
    expect(() => absorbingChain({ probabilities: loop, size: 3, stateNames: ['a', 'b', 'end'] }, ['end'])).toThrow(/never reach an absorbing state/);
  });

  it('rejects rows that are not probabilities and unknown absorbing states', () => {
    const counts = Float64Array.from([0, 2, 0, 1]);
    expect(() => absorbingChain({ probabilities: counts, size: 2, stateNames: ['a', 'end'] }, ['end'])).toThrow(/sums to 2/);
    expect(() => absorbingChain({ probabilities: COIN, size: 4, stateNames: NAMES }, ['purchase'])).toThrow(/unknown absorbing state purchase/);
  });
});

describe('luDecompose', () => {
  it('pivots past a zero on the diagonal', () => {
    const solved = luSolve(luDecompose(Float64Array.from([0, 1, 1, 0]), 2), Float64Array.from([3, 4]));
    expect([...solved]).toEqual([4, 3]);
  });

  it('inverts a general matrix: A · A⁻¹ = I', () => {
    const matrix = Float64Array.from([2, -1, 0, 1e-3, -1, 2, -1, 0, 0, -1, 2, -1, 5, 0, -1, 2]);
    const inverse = luInverse(luDecompose(matrix, 4));
    for (let row = 0; row < 4; row++) {
      for (let column = 0; column < 4; column++) {
        let sum = 0;
        for (let inner = 0; inner < 4; inner++) sum += (matrix[row * 4 + inner] as number) * (inverse[inner * 4 + column] as number);
        expect(sum).toBeCloseTo(row === column ? 1 : 0, 12);
      }
    }
  });
});
