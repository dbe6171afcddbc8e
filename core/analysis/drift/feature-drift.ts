/**
 * Drift of one feature between a baseline and a current sample: PSI, the
 * two-sample KS test and the mean shift in baseline standard deviations.
 * Non-finite values (NaN marks a missing feature value in this project)
 * are dropped first and counted, since PSI and KS are defined on observed
 * values only.
 */
import { ksTwoSample, type KsMethod } from './ks-two-sample.js';
import { populationStabilityIndex, type PsiLevel } from './psi.js';

export interface FeatureDriftOptions {
  /** PSI bins. @default 10 */
  bins?: number;
  /** PSI share floor. @default 1e-4 */
  floor?: number;
  /** KS p-value method. @default 'auto' */
  ksMethod?: KsMethod;
  /** KS p-values below this flag the feature. @default 0.01 */
  ksAlpha?: number;
}

export type DriftFlag = 'psi-moderate' | 'psi-significant' | 'ks';

export interface FeatureDrift {
  feature: string;
  psi: number;
  psiLevel: PsiLevel;
  psiBins: number;
  ksStatistic: number;
  ksPValue: number;
  /** (current mean − baseline mean) / baseline standard deviation (n − 1). */
  meanShift: number;
  baselineCount: number;
  currentCount: number;
  /** Non-finite values dropped from baseline + current. */
  missing: number;
  flags: DriftFlag[];
}

export function featureDrift(
  feature: string,
  baseline: readonly number[],
  current: readonly number[],
  options: FeatureDriftOptions = {},
): FeatureDrift {
  const base = baseline.filter(Number.isFinite);
  const now = current.filter(Number.isFinite);
  if (base.length < 2 || now.length === 0) {
    throw new RangeError(
      `featureDrift: feature "${feature}" needs at least 2 finite baseline values and 1 current value, got ${base.length} and ${now.length}`,
    );
  }
  const psi = populationStabilityIndex(base, now, { bins: options.bins ?? 10, floor: options.floor ?? 1e-4 });
  const ks = ksTwoSample(base, now, options.ksMethod ?? 'auto');
  const flags: DriftFlag[] = [];
  if (psi.level === 'significant') flags.push('psi-significant');
  if (psi.level === 'moderate') flags.push('psi-moderate');
  if (ks.pValue < (options.ksAlpha ?? 0.01)) flags.push('ks');
  return {
    feature,
    psi: psi.psi,
    psiLevel: psi.level,
    psiBins: psi.binCount,
    ksStatistic: ks.statistic,
    ksPValue: ks.pValue,
    meanShift: standardizedShift(base, now),
    baselineCount: base.length,
    currentCount: now.length,
    missing: baseline.length - base.length + (current.length - now.length),
    flags,
  };
}

function standardizedShift(baseline: readonly number[], current: readonly number[]): number {
  const baseMean = mean(baseline);
  const difference = mean(current) - baseMean;
  let squares = 0;
  for (const value of baseline) squares += (value - baseMean) ** 2;
  const sigma = Math.sqrt(squares / (baseline.length - 1));
  // A constant baseline has no scale: any move is an infinite shift, none is 0.
  if (sigma === 0) return difference === 0 ? 0 : Math.sign(difference) * Infinity;
  return difference / sigma;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}
