/**
 * Dense linear solve A·x = b by Gaussian elimination with partial pivoting,
 * on a row-major Float64Array. Written here rather than pulled from a
 * library because the run-length chains only need this one operation on
 * matrices of a few hundred rows, and a typed array keeps it allocation-free.
 */
export function solveLinearSystem(matrix: Float64Array, rhs: Float64Array, size: number): Float64Array {
  if (matrix.length !== size * size || rhs.length !== size) {
    throw new RangeError(`solveLinearSystem: expected a ${size}×${size} matrix and ${size} right-hand sides`);
  }
  // Work on copies: callers keep their transition matrix for reuse.
  const a = Float64Array.from(matrix);
  const b = Float64Array.from(rhs);
  for (let column = 0; column < size; column++) {
    const pivotRow = findPivot(a, size, column);
    if (a[pivotRow * size + column] === 0) {
      throw new RangeError(`solveLinearSystem: matrix is singular at column ${column}`);
    }
    if (pivotRow !== column) swapRows(a, b, size, pivotRow, column);
    const pivot = a[column * size + column] as number;
    for (let row = column + 1; row < size; row++) {
      const factor = (a[row * size + column] as number) / pivot;
      if (factor === 0) continue;
      for (let inner = column; inner < size; inner++) {
        a[row * size + inner] = (a[row * size + inner] as number) - factor * (a[column * size + inner] as number);
      }
      b[row] = (b[row] as number) - factor * (b[column] as number);
    }
  }
  const x = new Float64Array(size);
  for (let row = size - 1; row >= 0; row--) {
    let sum = b[row] as number;
    for (let inner = row + 1; inner < size; inner++) sum -= (a[row * size + inner] as number) * (x[inner] as number);
    x[row] = sum / (a[row * size + row] as number);
  }
  return x;
}

function findPivot(a: Float64Array, size: number, column: number): number {
  let best = column;
  let bestValue = Math.abs(a[column * size + column] as number);
  for (let row = column + 1; row < size; row++) {
    const value = Math.abs(a[row * size + column] as number);
    if (value > bestValue) {
      best = row;
      bestValue = value;
    }
  }
  return best;
}

function swapRows(a: Float64Array, b: Float64Array, size: number, first: number, second: number): void {
  for (let column = 0; column < size; column++) {
    const held = a[first * size + column] as number;
    a[first * size + column] = a[second * size + column] as number;
    a[second * size + column] = held;
  }
  const held = b[first] as number;
  b[first] = b[second] as number;
  b[second] = held;
}
