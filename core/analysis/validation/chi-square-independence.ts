import { chiSquareSurvival } from '../stats/index.js';

export interface ChiSquareIndependence {
  statistic: number;
  degreesOfFreedom: number;
  p: number;
  /** Cramér's V = √(χ² / (N (min(r, c) − 1))), 0 (independent) to 1. */
  cramersV: number;
}

/**
 * Pearson's chi-square test of independence on an r × c table of counts
 * (segments × converted), without Yates' correction, as
 * scipy `chi2_contingency(correction=False)`: segment tables are large,
 * where the correction only makes the test conservative.
 */
export function chiSquareIndependence(table: readonly (readonly number[])[]): ChiSquareIndependence {
  const rows = table.length;
  const columns = table[0]?.length ?? 0;
  if (rows < 2 || columns < 2) throw new RangeError(`chiSquareIndependence: need at least a 2 × 2 table, got ${rows} × ${columns}`);
  const rowTotals = table.map((row) => {
    if (row.length !== columns) throw new RangeError('chiSquareIndependence: rows must have the same length');
    return row.reduce((sum, value) => sum + value, 0);
  });
  const columnTotals = Array.from({ length: columns }, (_, column) => table.reduce((sum, row) => sum + (row[column] ?? 0), 0));
  const total = rowTotals.reduce((sum, value) => sum + value, 0);
  if (rowTotals.includes(0) || columnTotals.includes(0)) {
    throw new RangeError('chiSquareIndependence: a row or column sums to zero, so its expected counts are zero; drop it');
  }
  let statistic = 0;
  table.forEach((row, rowIndex) => {
    row.forEach((observed, column) => {
      const expected = ((rowTotals[rowIndex] ?? 0) * (columnTotals[column] ?? 0)) / total;
      statistic += ((observed - expected) * (observed - expected)) / expected;
    });
  });
  const degreesOfFreedom = (rows - 1) * (columns - 1);
  return {
    statistic,
    degreesOfFreedom,
    p: chiSquareSurvival(statistic, degreesOfFreedom),
    cramersV: Math.sqrt(statistic / (total * (Math.min(rows, columns) - 1))),
  };
}
