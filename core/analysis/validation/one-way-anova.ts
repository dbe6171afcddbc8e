import { fSurvival, mean } from '../stats/index.js';

export interface OneWayAnova {
  statistic: number;
  betweenDf: number;
  withinDf: number;
  p: number;
  /** η² = SS_between / SS_total: share of the KPI's variance the segments explain. */
  etaSquared: number;
}

/** One-way ANOVA F test that segment means of a KPI differ, as scipy.stats.f_oneway. */
export function oneWayAnova(groups: readonly (readonly number[])[]): OneWayAnova {
  if (groups.length < 2) throw new RangeError(`oneWayAnova: need at least two groups, got ${groups.length}`);
  const total = groups.reduce((sum, group) => sum + group.length, 0);
  if (total <= groups.length) throw new RangeError('oneWayAnova: need more values than groups');
  const grandMean = mean(groups.flat());
  let between = 0;
  let within = 0;
  for (const group of groups) {
    if (group.length === 0) throw new RangeError('oneWayAnova: every group needs at least one value');
    const groupMean = mean(group);
    between += group.length * (groupMean - grandMean) * (groupMean - grandMean);
    for (const value of group) within += (value - groupMean) * (value - groupMean);
  }
  const betweenDf = groups.length - 1;
  const withinDf = total - groups.length;
  const statistic = between / betweenDf / (within / withinDf);
  return { statistic, betweenDf, withinDf, p: fSurvival(statistic, betweenDf, withinDf), etaSquared: between / (between + within) };
}
