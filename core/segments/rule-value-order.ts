/**
 * Ordering of non-null values exactly as DuckDB orders them, so `evaluateRule`
 * and the compiled SQL agree on every comparison, including the corners where
 * JavaScript's `<` differs.
 */

export type RuleScalar = number | string | boolean;

/** Negative, zero or positive, like a sort comparator. Both values must have the same type. */
export function compareScalars(a: RuleScalar, b: RuleScalar): number {
  if (typeof a === 'number' && typeof b === 'number') return compareNumbers(a, b);
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw new TypeError(`cannot compare ${typeof a} with ${typeof b}`);
}

/**
 * DuckDB gives DOUBLE a total order: NaN equals NaN and sorts above +Infinity
 * (JavaScript says NaN is neither equal to nor ordered with anything).
 * -0 equals 0 in both.
 */
function compareNumbers(a: number, b: number): number {
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  if (aNaN || bNaN) return Number(aNaN) - Number(bNaN);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * DuckDB compares VARCHAR byte by byte in UTF-8, which is code point order.
 * JavaScript's `<` compares UTF-16 code units, which disagrees when a
 * character above U+FFFF (a surrogate pair, 0xD800–0xDFFF) meets one in
 * U+E000–U+FFFF. Shifting those two ranges past each other restores code
 * point order without decoding.
 */
function compareStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}
