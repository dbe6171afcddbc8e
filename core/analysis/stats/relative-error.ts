/**
 * |actual − expected| / |expected| (absolute when expected is 0), the
 * yardstick for p-values: an absolute tolerance says nothing about 1e-50.
 */
export function relativeError(actual: number, expected: number): number {
  if (actual === expected) return 0;
  if (expected === 0) return Math.abs(actual);
  return Math.abs(actual - expected) / Math.abs(expected);
}
