/**
 * LU decomposition with partial pivoting (Doolittle, PA = LU) on a dense
 * row-major Float64Array, and the matching solve. Journey chains have a
 * handful of states (rarely more than 30), so an O(n³) dense solve takes
 * microseconds; a linear-algebra dependency would add weight and a second
 * matrix type for no gain. Partial pivoting keeps the solve stable for the
 * (I − Q) matrices of absorbing chains, whose diagonal can be small when a
 * state mostly loops to itself.
 */

export interface LuDecomposition {
  size: number;
  /** L below the diagonal (unit diagonal implied) and U on and above it, row-major. */
  lu: Float64Array;
  /** Row i of the factored matrix is row `pivots[i]` of the input. */
  pivots: Int32Array;
}

/**
 * A pivot this much smaller than the matrix's largest entry means the matrix
 * is singular for our purposes (a closed loop that never reaches an absorbing state).
 */
const RELATIVE_SINGULAR_TOLERANCE = 1e-12;

export function luDecompose(matrix: Float64Array, size: number): LuDecomposition {
  if (matrix.length !== size * size) {
    throw new RangeError(`luDecompose: expected ${size * size} entries for a ${size}×${size} matrix, got ${matrix.length}`);
  }
  const lu = matrix.slice();
  const pivots = Int32Array.from({ length: size }, (_, index) => index);
  const tolerance = RELATIVE_SINGULAR_TOLERANCE * Math.max(1, maxAbs(lu));
  for (let column = 0; column < size; column++) {
    const pivotRow = largestBelow(lu, size, column);
    if (Math.abs(lu[pivotRow * size + column] as number) <= tolerance) {
      throw new RangeError(`luDecompose: the matrix is singular (no usable pivot in column ${column})`);
    }
    if (pivotRow !== column) swapRows(lu, pivots, size, column, pivotRow);
    const pivot = lu[column * size + column] as number;
    for (let row = column + 1; row < size; row++) {
      const factor = (lu[row * size + column] as number) / pivot;
      lu[row * size + column] = factor;
      if (factor === 0) continue;
      for (let inner = column + 1; inner < size; inner++) {
        lu[row * size + inner] = (lu[row * size + inner] as number) - factor * (lu[column * size + inner] as number);
      }
    }
  }
  return { size, lu, pivots };
}

/** Solves A x = b for the A that was decomposed. */
export function luSolve(decomposition: LuDecomposition, rightHandSide: Float64Array): Float64Array {
  const { size, lu, pivots } = decomposition;
  if (rightHandSide.length !== size) {
    throw new RangeError(`luSolve: right-hand side has ${rightHandSide.length} entries, the matrix is ${size}×${size}`);
  }
  const solution = new Float64Array(size);
  for (let row = 0; row < size; row++) {
    let sum = rightHandSide[pivots[row] as number] as number;
    for (let column = 0; column < row; column++) sum -= (lu[row * size + column] as number) * (solution[column] as number);
    solution[row] = sum;
  }
  for (let row = size - 1; row >= 0; row--) {
    let sum = solution[row] as number;
    for (let column = row + 1; column < size; column++) sum -= (lu[row * size + column] as number) * (solution[column] as number);
    solution[row] = sum / (lu[row * size + row] as number);
  }
  return solution;
}

/** A⁻¹, column by column; fine for the tiny matrices this module is for. */
export function luInverse(decomposition: LuDecomposition): Float64Array {
  const { size } = decomposition;
  const inverse = new Float64Array(size * size);
  const unit = new Float64Array(size);
  for (let column = 0; column < size; column++) {
    unit.fill(0);
    unit[column] = 1;
    const solved = luSolve(decomposition, unit);
    for (let row = 0; row < size; row++) inverse[row * size + column] = solved[row] as number;
  }
  return inverse;
}

function largestBelow(lu: Float64Array, size: number, column: number): number {
  let best = column;
  for (let row = column + 1; row < size; row++) {
    if (Math.abs(lu[row * size + column] as number) > Math.abs(lu[best * size + column] as number)) best = row;
  }
  return best;
}

function swapRows(lu: Float64Array, pivots: Int32Array, size: number, first: number, second: number): void {
  for (let column = 0; column < size; column++) {
    const held = lu[first * size + column] as number;
    lu[first * size + column] = lu[second * size + column] as number;
    lu[second * size + column] = held;
  }
  const heldPivot = pivots[first] as number;
  pivots[first] = pivots[second] as number;
  pivots[second] = heldPivot;
}

function maxAbs(values: Float64Array): number {
  let largest = 0;
  for (const value of values) largest = Math.max(largest, Math.abs(value));
  return largest;
}
