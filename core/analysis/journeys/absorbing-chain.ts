/**
 * Absorbing-chain analysis of a journey: make some states absorbing
 * (purchase, exit), and for every other (transient) state compute
 *
 * - the fundamental matrix N = (I − Q)⁻¹: expected visits to state j starting from i,
 * - absorption probabilities B = N·R: chance of ending in each absorbing state
 *   ("from cart, 41% eventually purchase"),
 * - expected steps to absorption t = N·1.
 *
 * Q is transient → transient and R transient → absorbing, read from a
 * row-stochastic matrix such as `markovTransitions(...).probabilities`.
 * Listing a state as absorbing ignores its outgoing row: with purchase
 * absorbing, B answers "reaches purchase before leaving", which is the
 * question, even though the data has purchase → view edges.
 *
 * Solved with the partial-pivot LU in lu-decomposition.ts (why not a library: see there).
 */
import { luDecompose, luInverse } from '../stats/lu-decomposition.js';

export interface ChainInput {
  /** Row-major `size × size` transition probabilities. */
  probabilities: Float64Array;
  size: number;
  stateNames: readonly string[];
}

export interface AbsorbingChain {
  /** Indices (into the input) of the transient states, in input order. */
  transient: readonly number[];
  /** Indices of the absorbing states, in the order they were asked for. */
  absorbing: readonly number[];
  transientNames: readonly string[];
  absorbingNames: readonly string[];
  /** States left out: never reached and never left (an all-zero row, e.g. a mapped event absent from the data). */
  excluded: readonly string[];
  /** N, `transient × transient`, row-major. */
  fundamental: Float64Array;
  /** B, `transient × absorbing`, row-major. */
  absorption: Float64Array;
  /** t, one per transient state. */
  expectedSteps: Float64Array;
}

/** A row must sum to 1 within this, or to 0 (never observed). */
const ROW_SUM_TOLERANCE = 1e-9;

export function absorbingChain(chain: ChainInput, absorbingStates: readonly string[]): AbsorbingChain {
  const { probabilities, size, stateNames } = chain;
  if (probabilities.length !== size * size || stateNames.length !== size) {
    throw new RangeError(`absorbingChain: expected ${size} state names and ${size * size} probabilities, got ${stateNames.length} and ${probabilities.length}`);
  }
  const absorbing = resolveAbsorbing(stateNames, absorbingStates);
  const excluded: number[] = [];
  const transient: number[] = [];
  for (let state = 0; state < size; state++) {
    if (absorbing.includes(state)) continue;
    const sum = rowSum(probabilities, size, state);
    if (sum === 0) excluded.push(state);
    else if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
      throw new RangeError(`absorbingChain: the row of ${stateNames[state]} sums to ${sum}, not 1; pass row-normalized probabilities`);
    } else transient.push(state);
  }
  assertNoFlowIntoExcluded(probabilities, size, transient, excluded, stateNames);
  const fundamental = fundamentalMatrix(probabilities, size, transient, stateNames);
  return {
    transient,
    absorbing,
    transientNames: transient.map((state) => stateNames[state] as string),
    absorbingNames: absorbing.map((state) => stateNames[state] as string),
    excluded: excluded.map((state) => stateNames[state] as string),
    fundamental,
    absorption: multiplyByR(fundamental, probabilities, size, transient, absorbing),
    expectedSteps: rowSums(fundamental, transient.length),
  };
}

/** Probability of ending in `to` (absorbing) from `from` (transient), by name. */
export function absorptionProbability(chain: AbsorbingChain, from: string, to: string): number {
  const row = chain.transientNames.indexOf(from);
  const column = chain.absorbingNames.indexOf(to);
  if (row < 0) throw new RangeError(`absorptionProbability: ${from} is not a transient state (transient: ${chain.transientNames.join(', ')})`);
  if (column < 0) throw new RangeError(`absorptionProbability: ${to} is not absorbing (absorbing: ${chain.absorbingNames.join(', ')})`);
  return chain.absorption[row * chain.absorbingNames.length + column] as number;
}

/** Expected steps until absorption from `from`, by name. */
export function expectedStepsFrom(chain: AbsorbingChain, from: string): number {
  const row = chain.transientNames.indexOf(from);
  if (row < 0) throw new RangeError(`expectedStepsFrom: ${from} is not a transient state (transient: ${chain.transientNames.join(', ')})`);
  return chain.expectedSteps[row] as number;
}

function resolveAbsorbing(stateNames: readonly string[], wanted: readonly string[]): number[] {
  if (wanted.length === 0) throw new RangeError('absorbingChain: name at least one absorbing state (e.g. purchase, exit)');
  return wanted.map((name) => {
    const index = stateNames.indexOf(name);
    if (index < 0) throw new RangeError(`absorbingChain: unknown absorbing state ${name}; known states are ${stateNames.join(', ')}`);
    return index;
  });
}

/**
 * A never-left state that is reached would silently swallow probability
 * (markov `exit` forgotten in the absorbing list): B would not sum to 1 and
 * t would stop counting there. Make the caller say what it means.
 */
function assertNoFlowIntoExcluded(
  probabilities: Float64Array,
  size: number,
  transient: readonly number[],
  excluded: readonly number[],
  stateNames: readonly string[],
): void {
  for (const target of excluded) {
    if (transient.some((from) => (probabilities[from * size + target] as number) > 0)) {
      throw new RangeError(`absorbingChain: ${stateNames[target]} is reached but never left; list it as an absorbing state`);
    }
  }
}

function fundamentalMatrix(probabilities: Float64Array, size: number, transient: readonly number[], stateNames: readonly string[]): Float64Array {
  const count = transient.length;
  const identityMinusQ = new Float64Array(count * count);
  transient.forEach((from, row) => {
    transient.forEach((to, column) => {
      identityMinusQ[row * count + column] = (row === column ? 1 : 0) - (probabilities[from * size + to] as number);
    });
  });
  try {
    return luInverse(luDecompose(identityMinusQ, count));
  } catch (error) {
    // Singular I − Q means some transient states form a loop with no way out.
    throw new RangeError(
      `absorbingChain: some of ${transient.map((state) => stateNames[state]).join(', ')} never reach an absorbing state; make a state of that loop absorbing`,
      { cause: error },
    );
  }
}

function multiplyByR(fundamental: Float64Array, probabilities: Float64Array, size: number, transient: readonly number[], absorbing: readonly number[]): Float64Array {
  const count = transient.length;
  const result = new Float64Array(count * absorbing.length);
  for (let row = 0; row < count; row++) {
    absorbing.forEach((target, column) => {
      let sum = 0;
      transient.forEach((via, inner) => {
        sum += (fundamental[row * count + inner] as number) * (probabilities[via * size + target] as number);
      });
      result[row * absorbing.length + column] = sum;
    });
  }
  return result;
}

function rowSum(values: Float64Array, size: number, row: number): number {
  let sum = 0;
  for (let column = 0; column < size; column++) sum += values[row * size + column] as number;
  return sum;
}

function rowSums(values: Float64Array, size: number): Float64Array {
  return Float64Array.from({ length: size }, (_, row) => rowSum(values, size, row));
}
