/**
 * Monte Carlo run lengths for the same standardized charts, to check the
 * Markov-chain ARLs. Runs stop at `maxSteps` so a mis-specified chart cannot
 * hang a test; censored runs are counted at the cap and reported.
 */
import { createRng } from '../../random/rng.js';

export interface SimulationOptions {
  seed: number;
  runs: number;
  /** Mean shift in σ units. @default 0 */
  shift?: number;
  /** Longest run before it is censored. @default 100000 */
  maxSteps?: number;
}

export interface SimulatedArl {
  averageRunLength: number;
  /** Standard error of the mean run length. */
  standardError: number;
  censoredRuns: number;
}

export type ChartStep = (x: number) => boolean;

/** Two-sided tabular CUSUM in σ units; signals when C⁺ or C⁻ exceeds h. */
export function simulateCusumArl(k: number, h: number, options: SimulationOptions): SimulatedArl {
  return simulate(options, () => {
    let plus = 0;
    let minus = 0;
    return (x) => {
      plus = Math.max(0, plus + x - k);
      minus = Math.max(0, minus - x - k);
      return plus > h || minus > h;
    };
  });
}

/**
 * EWMA from z_0 = 0. `limits: 'asymptotic'` matches the Markov chain;
 * 'exact' uses the narrower early limits of ewma-chart.ts and gives a
 * slightly shorter in-control ARL.
 */
export function simulateEwmaArl(
  lambda: number,
  limitWidth: number,
  options: SimulationOptions & { limits?: 'asymptotic' | 'exact' },
): SimulatedArl {
  const ratio = lambda / (2 - lambda);
  const exact = options.limits === 'exact';
  return simulate(options, () => {
    let z = 0;
    let decay = 1;
    return (x) => {
      z = lambda * x + (1 - lambda) * z;
      decay *= (1 - lambda) * (1 - lambda);
      const limit = limitWidth * Math.sqrt(exact ? ratio * (1 - decay) : ratio);
      return Math.abs(z) > limit;
    };
  });
}

function simulate(options: SimulationOptions, startRun: () => ChartStep): SimulatedArl {
  const rng = createRng(options.seed);
  const shift = options.shift ?? 0;
  const maxSteps = options.maxSteps ?? 100_000;
  let sum = 0;
  let sumSquares = 0;
  let censoredRuns = 0;
  for (let run = 0; run < options.runs; run++) {
    const step = startRun();
    let length = 0;
    let signalled = false;
    while (!signalled && length < maxSteps) {
      length++;
      signalled = step(rng.normal() + shift);
    }
    if (!signalled) censoredRuns++;
    sum += length;
    sumSquares += length * length;
  }
  const mean = sum / options.runs;
  const variance = (sumSquares - options.runs * mean * mean) / Math.max(1, options.runs - 1);
  return { averageRunLength: mean, standardError: Math.sqrt(variance / options.runs), censoredRuns };
}
