import { describe, expect, it } from 'vitest';
import { cusumAverageRunLength, ewmaAverageRunLength, oneSidedCusumArl } from './average-run-length.js';
import { luDecompose, luSolve } from '../stats/lu-decomposition.js';
import { simulateCusumArl, simulateEwmaArl } from './simulated-run-length.js';

describe('Markov-chain ARL', () => {
  it('reproduces the published two-sided CUSUM ARL0 for k = 0.5 (≈168 at h = 4, ≈465 at h = 5)', () => {
    expect(cusumAverageRunLength(0.5, 4)).toBeCloseTo(168, -0.5);
    expect(cusumAverageRunLength(0.5, 5)).toBeCloseTo(465, -0.5);
  });

  it('gives the one-sided out-of-control ARL for a 1σ shift (≈10.4 at h = 5)', () => {
    expect(oneSidedCusumArl(0.5, 5, 1, 151)).toBeCloseTo(10.38, 1);
  });

  it('matches Lucas & Saccucci: λ = 0.1, L = 2.814 has ARL0 ≈ 500', () => {
    expect(Math.abs(ewmaAverageRunLength(0.1, 2.814, { states: 301 }) - 500) / 500).toBeLessThan(0.005);
  });

  it('drops sharply under a shift', () => {
    expect(ewmaAverageRunLength(0.2, 3, { shift: 1 })).toBeLessThan(15);
  });
});

describe('simulated ARL agrees with the Markov chain within 5%', () => {
  const runs = 4000;
  it.each([
    [4, 11],
    [5, 12],
  ])('two-sided CUSUM k = 0.5, h = %s', (h, seed) => {
    const markov = cusumAverageRunLength(0.5, h);
    const simulated = simulateCusumArl(0.5, h, { seed, runs });
    expect(simulated.censoredRuns).toBe(0);
    expect(Math.abs(simulated.averageRunLength - markov) / markov).toBeLessThan(0.05);
  });

  it.each([
    [0.1, 2.7, 21],
    [0.2, 3, 22],
  ])('EWMA λ = %s, L = %s (asymptotic limits)', (lambda, limitWidth, seed) => {
    const markov = ewmaAverageRunLength(lambda, limitWidth);
    const simulated = simulateEwmaArl(lambda, limitWidth, { seed, runs });
    expect(Math.abs(simulated.averageRunLength - markov) / markov).toBeLessThan(0.05);
  });

  it('is reproducible for a seed', () => {
    expect(simulateCusumArl(0.5, 4, { seed: 3, runs: 50 })).toEqual(simulateCusumArl(0.5, 4, { seed: 3, runs: 50 }));
  });

  it('censors runs at the cap instead of hanging', () => {
    const result = simulateCusumArl(0.5, 50, { seed: 1, runs: 3, maxSteps: 100 });
    expect(result).toMatchObject({ averageRunLength: 100, censoredRuns: 3 });
  });
});

describe('the linear solve the chains use', () => {
  it('solves a system that needs pivoting', () => {
    const x = luSolve(luDecompose(Float64Array.from([0, 2, 1, 1, 1, 1, 2, 1, 3]), 3), Float64Array.from([5, 5, 12]));
    expect(Array.from(x).map((value) => Math.round(value * 1e12) / 1e12)).toEqual([1, 1, 3]);
  });

  it('reports a singular matrix', () => {
    expect(() => luSolve(luDecompose(Float64Array.from([1, 2, 2, 4]), 2), Float64Array.from([1, 1]))).toThrow(/singular/);
  });
});
