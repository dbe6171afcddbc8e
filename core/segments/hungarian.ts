/**
 * Minimum-cost assignment (the Hungarian algorithm, Kuhn–Munkres with
 * potentials, O(n²·m) for n ≤ m). Segment matching needs it to pair the
 * previous run's centroids with the new run's so the total distance is
 * smallest: a greedy nearest-first pairing can steal a cluster's true
 * successor and rename two segments at once. Written here rather than taken
 * from npm because it is ~60 lines and the matrices are tiny (tens of
 * segments); what matters is that it is exact, which the tests check against
 * brute force.
 */
export interface Assignment {
  /** For each row, the column it is assigned to, or −1 (more rows than columns). */
  rowToColumn: Int32Array;
  /** For each column, the row assigned to it, or −1 (more columns than rows). */
  columnToRow: Int32Array;
  /** Sum of the costs of the assigned pairs. */
  totalCost: number;
}

/**
 * Assigns min(rows, columns) pairs, each row and column at most once, with the
 * smallest total cost. Rectangular matrices are supported: the longer side
 * keeps some entries unassigned. Costs must be finite (cap them instead of
 * using Infinity: the potentials would turn into NaN).
 */
export function solveAssignment(cost: readonly (readonly number[])[]): Assignment {
  const rows = cost.length;
  const columns = rows === 0 ? 0 : cost[0]!.length;
  for (let row = 0; row < rows; row++) {
    const line = cost[row]!;
    if (line.length !== columns) {
      throw new RangeError(`Cost matrix row ${row} has ${line.length} entries; row 0 has ${columns}`);
    }
    for (let column = 0; column < columns; column++) {
      if (!Number.isFinite(line[column])) {
        throw new RangeError(`Cost matrix entry [${row}][${column}] is ${line[column]}; costs must be finite numbers`);
      }
    }
  }
  const rowToColumn = new Int32Array(rows).fill(-1);
  const columnToRow = new Int32Array(columns).fill(-1);
  if (rows === 0 || columns === 0) return { rowToColumn, columnToRow, totalCost: 0 };

  // The potential method below needs rows ≤ columns; solve the transpose otherwise.
  const transposed = rows > columns;
  const at = transposed
    ? (row: number, column: number) => cost[column]![row]!
    : (row: number, column: number) => cost[row]![column]!;
  const columnOwner = minimumAssignment(transposed ? columns : rows, transposed ? rows : columns, at);

  let totalCost = 0;
  for (let column = 0; column < columnOwner.length; column++) {
    const row = columnOwner[column]!;
    if (row < 0) continue;
    const [originalRow, originalColumn] = transposed ? [column, row] : [row, column];
    rowToColumn[originalRow] = originalColumn;
    columnToRow[originalColumn] = originalRow;
    totalCost += cost[originalRow]![originalColumn]!;
  }
  return { rowToColumn, columnToRow, totalCost };
}

/**
 * The classic shortest-augmenting-path formulation with row potentials `u`
 * and column potentials `v` (1-based internally; index 0 is the virtual
 * column the augmenting path starts from). Adds one row at a time; each
 * addition is O(n·m). Returns, for each column, its row or −1.
 */
function minimumAssignment(rows: number, columns: number, at: (row: number, column: number) => number): Int32Array {
  const rowPotential = new Float64Array(rows + 1);
  const columnPotential = new Float64Array(columns + 1);
  const rowOfColumn = new Int32Array(columns + 1); // 0 = free
  const previousColumn = new Int32Array(columns + 1);
  const slack = new Float64Array(columns + 1);
  const visited = new Uint8Array(columns + 1);

  for (let row = 1; row <= rows; row++) {
    rowOfColumn[0] = row;
    let currentColumn = 0;
    slack.fill(Infinity);
    visited.fill(0);
    do {
      visited[currentColumn] = 1;
      const currentRow = rowOfColumn[currentColumn]!;
      let delta = Infinity;
      let nextColumn = 0;
      for (let column = 1; column <= columns; column++) {
        if (visited[column]) continue;
        const reduced = at(currentRow - 1, column - 1) - rowPotential[currentRow]! - columnPotential[column]!;
        if (reduced < slack[column]!) {
          slack[column] = reduced;
          previousColumn[column] = currentColumn;
        }
        if (slack[column]! < delta) {
          delta = slack[column]!;
          nextColumn = column;
        }
      }
      for (let column = 0; column <= columns; column++) {
        if (visited[column]) {
          rowPotential[rowOfColumn[column]!]! += delta;
          columnPotential[column]! -= delta;
        } else {
          slack[column]! -= delta;
        }
      }
      currentColumn = nextColumn;
    } while (rowOfColumn[currentColumn] !== 0);
    // Flip the augmenting path back to the virtual column.
    do {
      const before = previousColumn[currentColumn]!;
      rowOfColumn[currentColumn] = rowOfColumn[before]!;
      currentColumn = before;
    } while (currentColumn !== 0);
  }

  const owner = new Int32Array(columns).fill(-1);
  for (let column = 1; column <= columns; column++) {
    if (rowOfColumn[column]! > 0) owner[column - 1] = rowOfColumn[column]! - 1;
  }
  return owner;
}
