/**
 * Mean and unbiased sample variance by a two-pass sum: the one-pass
 * Σx² − n·mean² cancels catastrophically for revenue-sized values, and the
 * oracle comparisons are to 1e-9 relative.
 */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let index = 0; index < values.length; index++) sum += values[index] as number;
  return sum / values.length;
}

export function sampleVariance(values: ArrayLike<number>, center: number = mean(values)): number {
  let sum = 0;
  for (let index = 0; index < values.length; index++) {
    const deviation = (values[index] as number) - center;
    sum += deviation * deviation;
  }
  return sum / (values.length - 1);
}
