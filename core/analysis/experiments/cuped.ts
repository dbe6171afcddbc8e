import { mean } from '../stats/index.js';
import { welchTTest, type WelchTest } from './revenue-uplift.js';

/** One profile: the metric in the experiment window (y) and the same metric before it (x). */
export interface CupedObservation {
  y: number;
  x: number;
}

export interface CupedResult {
  /** θ = cov(Y, X) / var(X), on both arms pooled. */
  theta: number;
  adjustedTreatmentMean: number;
  adjustedControlMean: number;
  /** Welch's test on the adjusted values. */
  test: WelchTest;
  /** 1 − var(Y_adj)/var(Y) on the pooled data (= ρ²(X, Y)): the share of variance removed. */
  varianceReduction: number;
}

/**
 * CUPED (Deng et al. 2013): Y_adj = Y − θ (X − mean X). θ is estimated on the
 * pooled arms, not per arm, so the adjustment is the same function for both
 * and cannot absorb the treatment effect; the pre-period X is unaffected by
 * treatment, so the adjusted difference stays unbiased.
 */
export function cuped(treatment: readonly CupedObservation[], control: readonly CupedObservation[]): CupedResult {
  const pooled = [...treatment, ...control];
  const meanX = mean(pooled.map((row) => row.x));
  const meanY = mean(pooled.map((row) => row.y));
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  for (const { x, y } of pooled) {
    covariance += (x - meanX) * (y - meanY);
    varianceX += (x - meanX) * (x - meanX);
    varianceY += (y - meanY) * (y - meanY);
  }
  if (varianceX === 0) throw new RangeError('cuped: the pre-period covariate is constant, so it cannot reduce variance');
  const theta = covariance / varianceX;
  const adjust = (rows: readonly CupedObservation[]): number[] => rows.map((row) => row.y - theta * (row.x - meanX));
  const adjustedTreatment = adjust(treatment);
  const adjustedControl = adjust(control);
  return {
    theta,
    adjustedTreatmentMean: mean(adjustedTreatment),
    adjustedControlMean: mean(adjustedControl),
    test: welchTTest(adjustedTreatment, adjustedControl),
    varianceReduction: varianceY === 0 ? 0 : (covariance * covariance) / (varianceX * varianceY),
  };
}
