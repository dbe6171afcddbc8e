/**
 * The three CDF algorithms behind kolmogorov-distribution.ts, ported from
 * scipy 1.10 `stats/_ksstats.py` step by step (the same scalings by 2^128,
 * the same series cut-offs) so that their p-values agree to ~1e-12.
 */
const EXPONENT = 128;
const BIG = 2 ** EXPONENT;
const SMALL = 2 ** -EXPONENT;
const PI_SQUARED = Math.PI ** 2;
const PI_FOUR = Math.PI ** 4;
const PI_SIX = Math.PI ** 6;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const SQRT3 = Math.sqrt(3);

/** Durbin (1968) matrix, with Marsaglia–Tsang–Wang's (2003) scaled powers. */
export function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let factorial = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = factorial;
    factorial /= j;
    v[j - 1] = (1 - h ** j) * factorial;
  }
  const tail = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tail) * factorial;
  let matrix: Float64Array = new Float64Array(m * m);
  for (let column = 1; column < m; column++) {
    for (let row = column - 1; row < m; row++) matrix[row * m + column] = w[row - column + 1] as number;
  }
  for (let row = 0; row < m; row++) matrix[row * m] = v[row] as number;
  for (let column = 0; column < m; column++) matrix[(m - 1) * m + column] = v[m - 1 - column] as number;

  let power: Float64Array = identity(m);
  let exponent = 0;
  let matrixExponent = 0;
  for (let remaining = n; remaining > 0; remaining = Math.floor(remaining / 2)) {
    if (remaining % 2 === 1) {
      power = multiply(power, matrix, m);
      exponent += matrixExponent;
    }
    matrix = multiply(matrix, matrix, m);
    matrixExponent *= 2;
    if (Math.abs(matrix[(k - 1) * m + (k - 1)] as number) > BIG) {
      for (let index = 0; index < matrix.length; index++) matrix[index] = (matrix[index] as number) / BIG;
      matrixExponent += EXPONENT;
    }
  }
  let p = power[(k - 1) * m + (k - 1)] as number;
  for (let index = 1; index <= n; index++) {
    p = (index * p) / n;
    if (Math.abs(p) < SMALL) {
      p *= BIG;
      exponent -= EXPONENT;
    }
  }
  return clip(exponent === 0 ? p : p * 2 ** exponent);
}

/** Pomeranz (1974) recursion. */
export function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilF = f > 0 ? 1 : 0;
  const roundF = f > 0.5 ? 1 : 0;
  const powers = 2 * (ll + 1);
  const gPower = new Float64Array(powers);
  const twoGPower = new Float64Array(powers);
  const oneMinusTwoGPower = new Float64Array(powers);
  gPower[0] = twoGPower[0] = oneMinusTwoGPower[0] = 1;
  const gOverN = g / n;
  const twoGOverN = (2 * g) / n;
  const oneMinusTwoGOverN = (1 - 2 * g) / n;
  for (let m = 1; m < powers; m++) {
    gPower[m] = ((gPower[m - 1] as number) * gOverN) / m;
    twoGPower[m] = ((twoGPower[m - 1] as number) * twoGOverN) / m;
    oneMinusTwoGPower[m] = ((oneMinusTwoGPower[m - 1] as number) * oneMinusTwoGOverN) / m;
  }
  let previous = new Float64Array(powers);
  let current = new Float64Array(powers);
  current[0] = 1;
  let previousStart = 0;
  let currentStart = 0;
  let exponent = 0;
  let j1 = pomeranzBounds(0, n, ll, ceilF, roundF)[0];
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [previous, current] = [current, previous];
    [previousStart, currentStart] = [currentStart, previousStart];
    current.fill(0);
    const [nextJ1, j2] = pomeranzBounds(i, n, ll, ceilF, roundF);
    j1 = nextJ1;
    const weights = i === 1 || i === 2 * n + 1 ? gPower : i % 2 === 1 ? twoGPower : oneMinusTwoGPower;
    const length = j2 - k1 + 1;
    if (length > 0) {
      const offset = k1 - previousStart;
      const used = Math.min(length, powers - offset); // numpy slices stop at the end
      const weightCount = Math.min(length, powers);
      const start = j1 - k1;
      const count = j2 - j1 + 1;
      for (let out = 0; out < count; out++) {
        const lag = start + out;
        let sum = 0;
        for (let a = Math.max(0, lag - weightCount + 1); a <= Math.min(lag, used - 1); a++) {
          sum += (previous[offset + a] as number) * (weights[lag - a] as number);
        }
        current[out] = sum;
      }
      const largest = current.reduce((best, value) => Math.max(best, value), -Infinity);
      if (largest > 0 && largest < SMALL) {
        for (let index = 0; index < powers; index++) current[index] = (current[index] as number) * BIG;
        exponent -= EXPONENT;
      }
      currentStart = previousStart + j1 - k1;
    }
  }
  let answer = current[n - currentStart] as number;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > BIG) {
      answer *= SMALL;
      exponent += EXPONENT;
    }
    answer *= m;
  }
  return clip(exponent === 0 ? answer : answer * 2 ** exponent);
}

function pomeranzBounds(i: number, n: number, ll: number, ceilF: number, roundF: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilF - 1;
    j2 = ll + ceilF - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilF - 1;
        j2 = n + ll + ceilF - 1;
      } else {
        j1 = half - 1 - ll - roundF - 1;
        j2 = half + ll - 1 + ceilF - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundF - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** Pelz–Good (1976) asymptotic series, for large n away from the tails. */
export function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z ** 2;
  const z3 = z ** 3;
  const z4 = z ** 4;
  const z6 = z ** 6;
  const qLog = -PI_SQUARED / 8 / z2;
  if (qLog < -708) return 0;
  let q = Math.exp(qLog);
  const k1a = -z2;
  const k1b = PI_SQUARED / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI_SQUARED) / 4;
  const k2c = (PI_FOUR * (1 - 2 * z2)) / 16;
  const k3d = (PI_SIX * (5 - 30 * z2)) / 64;
  const k3c = (PI_FOUR * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI_SQUARED * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const terms = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m ** 2;
    const m4 = m ** 4;
    const m6 = m ** 6;
    const qPower = q ** (8 * k);
    const coefficients = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let index = 0; index < 4; index++) terms[index] = (terms[index] as number) * qPower + (coefficients[index] as number);
  }
  const denominators = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let index = 0; index < 4; index++) terms[index] = ((terms[index] as number) * q * SQRT_2PI) / (denominators[index] as number);
  q = Math.exp(-PI_SQUARED / 2 / z2);
  let k2Extra = 0;
  let k3Extra = 0;
  for (let k = maxK; k > 0; k--) {
    const k2 = k ** 2;
    const qPower = q ** k2;
    k2Extra += k2 * qPower;
    k3Extra += (SQRT3 * z + Math.PI * k) * (SQRT3 * z - Math.PI * k) * k2 * qPower;
  }
  terms[2] = (terms[2] as number) + k2Extra * ((PI_SQUARED * SQRT_2PI) / (-36 * z3));
  terms[3] = (terms[3] as number) + k3Extra * ((PI_SQUARED * SQRT_2PI) / (216 * z6));
  let sum = 0;
  for (let index = 0; index < 4; index++) sum += (terms[index] as number) / n ** (index / 2);
  return sum;
}

function identity(size: number): Float64Array {
  const matrix = new Float64Array(size * size);
  for (let index = 0; index < size; index++) matrix[index * size + index] = 1;
  return matrix;
}

function multiply(left: Float64Array, right: Float64Array, size: number): Float64Array {
  const product = new Float64Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let inner = 0; inner < size; inner++) {
      const factor = left[row * size + inner] as number;
      if (factor === 0) continue;
      for (let column = 0; column < size; column++) {
        product[row * size + column] = (product[row * size + column] as number) + factor * (right[inner * size + column] as number);
      }
    }
  }
  return product;
}

function clip(p: number): number {
  return Math.min(1, Math.max(0, p));
}
