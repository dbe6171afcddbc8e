/**
 * Small sorted lists of event times: the per-key buffers of the kinds are a
 * handful of entries, so a linear insert beats any tree and serializes as a
 * plain JSON array.
 */
export function insertSorted<T>(list: readonly T[], item: T, timeOf: (item: T) => number): T[] {
  const result = list.slice();
  let index = result.length;
  while (index > 0 && timeOf(result[index - 1] as T) > timeOf(item)) index--;
  result.splice(index, 0, item);
  return result;
}

/** The latest time ≤ `at` (strictly before when `strict`), or undefined. */
export function latestAtOrBefore(times: readonly number[], at: number, strict: boolean): number | undefined {
  for (let index = times.length - 1; index >= 0; index--) {
    const time = times[index] as number;
    if (strict ? time < at : time <= at) return time;
  }
  return undefined;
}

export function anyBetween(times: readonly number[], from: number, to: number, inclusive: boolean): boolean {
  for (let index = 0; index < times.length; index++) {
    const time = times[index] as number;
    if (inclusive ? time >= from && time <= to : time > from && time < to) return true;
  }
  return false;
}
