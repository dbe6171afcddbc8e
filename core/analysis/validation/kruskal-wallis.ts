import { averageRanks, chiSquareSurvival } from '../stats/index.js';

export interface KruskalWallis {
  /** H, divided by the tie correction 1 − Σ(t³ − t)/(N³ − N). */
  statistic: number;
  degreesOfFreedom: number;
  /** From the chi-square approximation with k − 1 df, as scipy.stats.kruskal. */
  p: number;
  /** ε² = H / ((N² − 1)/(N + 1)), 0 to 1. */
  epsilonSquared: number;
}

/**
 * Kruskal–Wallis H test that a KPI's distribution differs across segments.
 * Rank based, so a handful of whales does not decide it as they would an
 * ANOVA on revenue; KPIs such as order counts are heavily tied, hence the
 * tie correction.
 */
export function kruskalWallis(groups: readonly (readonly number[])[]): KruskalWallis {
  if (groups.length < 2) throw new RangeError(`kruskalWallis: need at least two groups, got ${groups.length}`);
  if (groups.some((group) => group.length === 0)) throw new RangeError('kruskalWallis: every group needs at least one value');
  const pooled = groups.flat();
  const total = pooled.length;
  const { ranks, tieSum } = averageRanks(pooled);
  const correction = 1 - tieSum / (total * total * total - total);
  if (correction === 0) throw new RangeError('kruskalWallis: all values are equal, so there is nothing to rank');
  let offset = 0;
  let sum = 0;
  for (const group of groups) {
    let rankSum = 0;
    for (let index = 0; index < group.length; index++) rankSum += ranks[offset + index] as number;
    sum += (rankSum * rankSum) / group.length;
    offset += group.length;
  }
  const statistic = ((12 / (total * (total + 1))) * sum - 3 * (total + 1)) / correction;
  const degreesOfFreedom = groups.length - 1;
  return {
    statistic,
    degreesOfFreedom,
    p: chiSquareSurvival(statistic, degreesOfFreedom),
    epsilonSquared: (statistic * (total + 1)) / (total * total - 1),
  };
}
