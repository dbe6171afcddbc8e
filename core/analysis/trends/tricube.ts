/**
 * Tricube weights (1 − (r/h)³)³ with the Fortran's cut-offs (r ≤ 0.001·h → 1,
 * r > 0.999·h → 0). In STL both r = |j − xs| and h are integers, so the
 * weights for one h form a small table: computing it once, with the same
 * operations, gives bit-identical values and removes most of the work of
 * the inner loops (the benchmark runs ~10⁹ of these).
 */
const MAX_CACHED_HALF_WIDTH = 4096;
const tables: (Float64Array | undefined)[] = [];

function build(h: number): Float64Array {
  const table = new Float64Array(h + 1);
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  for (let r = 0; r <= h; r += 1) {
    if (r > h9) {
      table[r] = 0;
    } else if (r <= h1) {
      table[r] = 1;
    } else {
      const q = r / h;
      const t = 1 - q * q * q;
      table[r] = t * t * t;
    }
  }
  return table;
}

/** Weights for distances 0..h at half-width h (an integer ≥ 0). */
export function tricubeTable(h: number): Float64Array {
  if (h > MAX_CACHED_HALF_WIDTH) return build(h);
  let table = tables[h];
  if (table === undefined) {
    table = build(h);
    tables[h] = table;
  }
  return table;
}
