/**
 * Average run length (ARL) of the EWMA and CUSUM charts by Markov-chain
 * approximation: the in-control region is cut into N cells, the statistic
 * jumps between cell midpoints with Gaussian probabilities, and the ARL
 * from the start cell solves (I − R)·ARL = 1, where R holds the transitions
 * among non-signalling cells. Observations are standardized: x ~ N(shift, 1).
 */
import { luDecompose, luSolve } from '../stats/lu-decomposition.js';
import { normalCdf } from '../stats/normal.js';

export interface MarkovOptions {
  /** Mean shift of the observations in σ units. @default 0 */
  shift?: number;
  /** Number of transient states N; more is closer to the continuous chart. @default 151 */
  states?: number;
}

/**
 * Two-sided tabular CUSUM (Brook & Evans 1972). Each side is its own chain
 * on [0, h); the two-sided ARL combines them as 1/ARL = 1/ARL⁺ + 1/ARL⁻,
 * which is exact when the two sides cannot both be positive (k ≥ 0 and
 * h > 0, Lucas & Crosier 1982) and close otherwise.
 */
export function cusumAverageRunLength(k: number, h: number, options: MarkovOptions = {}): number {
  const shift = options.shift ?? 0;
  const upper = oneSidedCusumArl(k, h, shift, options.states ?? 151);
  const lower = oneSidedCusumArl(k, h, -shift, options.states ?? 151);
  return 1 / (1 / upper + 1 / lower);
}

/**
 * One-sided CUSUM chain: cell 0 is [0, w/2) and absorbs the reset to 0,
 * cell i is [(i − ½)w, (i + ½)w) with w = 2h/(2N − 1), so cell N − 1 ends at h.
 */
export function oneSidedCusumArl(k: number, h: number, shift: number, states: number): number {
  const width = (2 * h) / (2 * states - 1);
  const matrix = new Float64Array(states * states);
  for (let from = 0; from < states; from++) {
    const centre = from * width;
    // C' = C + x − k lands below the edge e when x < e − C + k.
    const below = (edge: number): number => normalCdf(edge - centre + k - shift);
    for (let to = 0; to < states; to++) {
      const top = below((to + 0.5) * width);
      const probability = to === 0 ? top : top - below((to - 0.5) * width);
      matrix[from * states + to] = (from === to ? 1 : 0) - probability;
    }
  }
  return luSolve(luDecompose(matrix, states), new Float64Array(states).fill(1))[0] as number;
}

/**
 * EWMA chart with asymptotic limits ±L·√(λ/(2 − λ)) (Lucas & Saccucci 1990):
 * N cells of width 2·UCL/N between the limits; the chart starts at z_0 = 0,
 * the middle cell, so N is forced odd.
 */
export function ewmaAverageRunLength(lambda: number, limitWidth: number, options: MarkovOptions = {}): number {
  const shift = options.shift ?? 0;
  const requested = options.states ?? 151;
  const states = requested % 2 === 1 ? requested : requested + 1;
  const limit = limitWidth * Math.sqrt(lambda / (2 - lambda));
  const width = (2 * limit) / states;
  const matrix = new Float64Array(states * states);
  for (let from = 0; from < states; from++) {
    const carried = (1 - lambda) * (-limit + (from + 0.5) * width);
    // z' = carried + λx lands below the edge e when x < (e − carried)/λ.
    const below = (edge: number): number => normalCdf((edge - carried) / lambda - shift);
    for (let to = 0; to < states; to++) {
      const low = -limit + to * width;
      const probability = below(low + width) - below(low);
      matrix[from * states + to] = (from === to ? 1 : 0) - probability;
    }
  }
  const lengths = luSolve(luDecompose(matrix, states), new Float64Array(states).fill(1));
  return lengths[(states - 1) / 2] as number;
}
