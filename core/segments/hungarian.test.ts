import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../random/rng.js';
import { solveAssignment } from './hungarian.js';

/** Smallest total over every way to pair min(rows, columns) rows with distinct columns. */
function bruteForceMinimum(cost: number[][]): number {
  const rows = cost.length;
  const columns = cost[0]?.length ?? 0;
  const pairs = Math.min(rows, columns);
  let best = Infinity;
  const usedRows = new Array<boolean>(rows).fill(false);
  const usedColumns = new Array<boolean>(columns).fill(false);
  // Choose `pairs` rows (in increasing order) and give each a distinct column.
  const search = (fromRow: number, placed: number, total: number): void => {
    if (placed === pairs) {
      best = Math.min(best, total);
      return;
    }
    for (let row = fromRow; row < rows; row++) {
      if (usedRows[row]) continue;
      usedRows[row] = true;
      for (let column = 0; column < columns; column++) {
        if (usedColumns[column]) continue;
        usedColumns[column] = true;
        search(row + 1, placed + 1, total + cost[row]![column]!);
        usedColumns[column] = false;
      }
      usedRows[row] = false;
    }
  };
  search(0, 0, 0);
  return pairs === 0 ? 0 : best;
}

function randomMatrix(rng: Rng, rows: number, columns: number, integer: boolean): number[][] {
  return Array.from({ length: rows }, () =>
    Array.from({ length: columns }, () => (integer ? rng.int(5) : rng.next() * 10 - 2)),
  );
}

function checkIsAssignment(cost: number[][], rowToColumn: Int32Array, columnToRow: Int32Array): number {
  const columns = cost[0]?.length ?? 0;
  let assigned = 0;
  let total = 0;
  for (let row = 0; row < cost.length; row++) {
    const column = rowToColumn[row]!;
    if (column < 0) continue;
    expect(columnToRow[column]).toBe(row);
    assigned++;
    total += cost[row]![column]!;
  }
  expect(assigned).toBe(Math.min(cost.length, columns));
  return total;
}

describe('solveAssignment', () => {
  it('finds the brute-force minimum on 400 random square and rectangular matrices', () => {
    const rng = createRng(20_240_604);
    for (let trial = 0; trial < 400; trial++) {
      const rows = 1 + rng.int(6);
      const columns = 1 + rng.int(6);
      // Small integers make ties common, which is where path bookkeeping bugs hide.
      const cost = randomMatrix(rng, rows, columns, trial % 2 === 0);
      const result = solveAssignment(cost);
      const total = checkIsAssignment(cost, result.rowToColumn, result.columnToRow);
      expect(total).toBeCloseTo(result.totalCost, 9);
      expect(result.totalCost).toBeCloseTo(bruteForceMinimum(cost), 9);
    }
  });

  it('does not pair greedily when the greedy choice costs more overall', () => {
    // Greedy takes (0,0)=1 first and is then forced into (1,1)=10: total 11.
    const result = solveAssignment([
      [1, 2],
      [3, 10],
    ]);
    expect(Array.from(result.rowToColumn)).toEqual([1, 0]);
    expect(result.totalCost).toBe(5);
  });

  it('leaves the extra rows or columns of a rectangular matrix unassigned', () => {
    const tall = solveAssignment([[5], [1], [3]]);
    expect(Array.from(tall.rowToColumn)).toEqual([-1, 0, -1]);
    const wide = solveAssignment([[5, 1, 3]]);
    expect(Array.from(wide.columnToRow)).toEqual([-1, 0, -1]);
  });

  it('accepts empty matrices and rejects ragged or non-finite ones', () => {
    expect(solveAssignment([]).totalCost).toBe(0);
    expect(solveAssignment([[], []]).rowToColumn).toEqual(new Int32Array([-1, -1]));
    expect(() => solveAssignment([[1, 2], [3]])).toThrow(/row 1 has 1 entries/);
    expect(() => solveAssignment([[1, Infinity]])).toThrow(/\[0\]\[1\] is Infinity/);
  });
});
