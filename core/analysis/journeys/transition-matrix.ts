/**
 * Square matrices stored row-major in one Float64Array: cell (from, to) is
 * `values[from * size + to]`. Shared by Markov transitions and segment
 * migration, which differ only in what a row means.
 */

export function rowTotals(counts: Float64Array, size: number): Float64Array {
  const totals = new Float64Array(size);
  for (let row = 0; row < size; row++) {
    let total = 0;
    for (let column = 0; column < size; column++) total += counts[row * size + column] as number;
    totals[row] = total;
  }
  return totals;
}

/** Each row divided by its total; an empty row stays all zero (no evidence is not a uniform guess). */
export function rowNormalize(counts: Float64Array, size: number): Float64Array {
  const totals = rowTotals(counts, size);
  const shares = new Float64Array(size * size);
  for (let row = 0; row < size; row++) {
    const total = totals[row] as number;
    if (total === 0) continue;
    for (let column = 0; column < size; column++) shares[row * size + column] = (counts[row * size + column] as number) / total;
  }
  return shares;
}
