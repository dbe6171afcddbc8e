/**
 * Average ranks (1-based, ties share the mean of their positions), the
 * convention of scipy.stats.rankdata(method='average') that Spearman and
 * Kruskal–Wallis assume. Also returns Σ(t³ − t) over tie groups, the
 * quantity both tie corrections need.
 */
export interface Ranking {
  ranks: Float64Array;
  tieSum: number;
}

export function averageRanks(values: ArrayLike<number>): Ranking {
  const order = Array.from({ length: values.length }, (_, index) => index);
  order.sort((left, right) => (values[left] as number) - (values[right] as number));
  const ranks = new Float64Array(values.length);
  let tieSum = 0;
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && values[order[end] as number] === values[order[start] as number]) end++;
    const rank = (start + end + 1) / 2;
    for (let position = start; position < end; position++) ranks[order[position] as number] = rank;
    const size = end - start;
    tieSum += size * size * size - size;
    start = end;
  }
  return { ranks, tieSum };
}
