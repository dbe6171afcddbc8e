import { heuristicInitialState, type InitialState } from './holt-winters-initial.js';
import { holtWinters, type SmoothingParameters } from './holt-winters.js';
import { nelderMead } from './nelder-mead.js';

export interface FittedHoltWinters {
  readonly parameters: SmoothingParameters;
  readonly initial: InitialState;
  readonly sse: number;
  readonly iterations: number;
}

// Parameters live in (0, 1); the simplex searches the logit scale so every
// vertex is a valid model and no bound handling is needed.
const logistic = (u: number): number => 1 / (1 + Math.exp(-u));
const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * Smoothing parameters that minimize the in-sample SSE, initial states fixed
 * by the heuristic (or given). This is our own Nelder–Mead on the logit
 * scale: it reaches an SSE at least as low as statsmodels' `fit()` on the
 * retail fixture, but not the same parameters to any stated tolerance
 * (statsmodels uses a different optimizer, start and bounds, e.g. β ≤ α).
 */
export function fitHoltWinters(
  series: ArrayLike<number>,
  period: number | undefined,
  initial: InitialState = heuristicInitialState(series, period),
): FittedHoltWinters {
  const seasonal = period !== undefined;
  const toParameters = (u: readonly number[]): SmoothingParameters => ({
    level: logistic(u[0] as number),
    trend: logistic(u[1] as number),
    seasonal: seasonal ? logistic(u[2] as number) : 0,
  });
  const start = seasonal ? [logit(0.3), logit(0.05), logit(0.1)] : [logit(0.3), logit(0.05)];
  const sse = (u: readonly number[]): number => holtWinters(series, toParameters(u), initial, period, 0).sse;
  const result = nelderMead(sse, start, { step: 1, maxIterations: 2000 });
  return { parameters: toParameters(result.x), initial, sse: result.value, iterations: result.iterations };
}
