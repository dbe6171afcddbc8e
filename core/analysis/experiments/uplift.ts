import { normalSurvivalQuantile, normalTwoSidedP } from '../stats/index.js';
import { checkCounts, wilsonInterval, type IntervalOptions } from '../validation/index.js';

export interface ArmCounts {
  conversions: number;
  n: number;
}

export interface DifferenceInterval {
  low: number;
  high: number;
}

export interface ProportionUplift {
  treatmentRate: number;
  controlRate: number;
  /** Absolute uplift: treatment rate − control rate. */
  difference: number;
  /** difference / control rate; NaN when the control rate is 0. */
  relativeUplift: number;
  /** Two-proportion z statistic with the pooled standard error (the SE under H0). */
  z: number;
  /** Two-sided p-value of z, as statsmodels proportions_ztest. */
  p: number;
  /**
   * Newcombe's hybrid score interval (his method 10), from the two Wilson
   * intervals; keeps its coverage near rates of 0 where Wald collapses.
   */
  newcombe: DifferenceInterval;
  /** Wald interval with the unpooled SE, for comparison with dashboards that report it. */
  wald: DifferenceInterval;
}

/** Conversion uplift of treatment over holdout. */
export function proportionUplift(treatment: ArmCounts, control: ArmCounts, options: IntervalOptions = {}): ProportionUplift {
  checkCounts('proportionUplift (treatment)', treatment.conversions, treatment.n);
  checkCounts('proportionUplift (control)', control.conversions, control.n);
  const pT = treatment.conversions / treatment.n;
  const pC = control.conversions / control.n;
  const difference = pT - pC;
  const pooled = (treatment.conversions + control.conversions) / (treatment.n + control.n);
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / treatment.n + 1 / control.n));
  const z = pooledSe === 0 ? 0 : difference / pooledSe;
  const criticalZ = normalSurvivalQuantile((options.alpha ?? 0.05) / 2);
  const waldHalf = criticalZ * Math.sqrt((pT * (1 - pT)) / treatment.n + (pC * (1 - pC)) / control.n);
  return {
    treatmentRate: pT,
    controlRate: pC,
    difference,
    relativeUplift: pC === 0 ? Number.NaN : difference / pC,
    z,
    p: pooledSe === 0 ? 1 : normalTwoSidedP(z),
    newcombe: newcombeInterval(treatment, control, options),
    wald: { low: difference - waldHalf, high: difference + waldHalf },
  };
}

/** As statsmodels confint_proportions_2indep(method='newcomb', compare='diff'). */
export function newcombeInterval(treatment: ArmCounts, control: ArmCounts, options: IntervalOptions = {}): DifferenceInterval {
  const t = wilsonInterval(treatment.conversions, treatment.n, options);
  const c = wilsonInterval(control.conversions, control.n, options);
  const difference = t.estimate - c.estimate;
  return {
    low: difference - Math.hypot(t.estimate - t.low, c.high - c.estimate),
    high: difference + Math.hypot(t.high - t.estimate, c.estimate - c.low),
  };
}
