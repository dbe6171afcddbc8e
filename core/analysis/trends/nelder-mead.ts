/**
 * A small Nelder–Mead simplex minimizer (Nelder & Mead 1965, with the
 * standard coefficients: reflection 1, expansion 2, contraction ½, shrink ½).
 * Derivative-free, deterministic, enough for the 2–3 smoothing parameters of
 * Holt-Winters; not a general-purpose optimizer.
 */
export interface NelderMeadOptions {
  /** @default 1000 */
  readonly maxIterations?: number;
  /** Stop when the simplex's function values span less than this. @default 1e-10 */
  readonly tolerance?: number;
  /** Initial simplex step along each axis. @default 0.5 */
  readonly step?: number;
}

export interface NelderMeadResult {
  readonly x: number[];
  readonly value: number;
  readonly iterations: number;
}

interface Vertex {
  x: number[];
  value: number;
}

function towards(from: readonly number[], to: readonly number[], t: number): number[] {
  return from.map((value, i) => value + t * ((to[i] as number) - value));
}

export function nelderMead(
  objective: (x: readonly number[]) => number,
  start: readonly number[],
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const { maxIterations = 1000, tolerance = 1e-10, step = 0.5 } = options;
  const dimension = start.length;
  const evaluate = (x: number[]): Vertex => ({ x, value: objective(x) });
  let simplex: Vertex[] = [evaluate([...start])];
  for (let i = 0; i < dimension; i += 1) {
    const x = [...start];
    x[i] = (x[i] as number) + step;
    simplex.push(evaluate(x));
  }
  let iterations = 0;
  for (; iterations < maxIterations; iterations += 1) {
    simplex.sort((a, b) => a.value - b.value);
    const best = simplex[0] as Vertex;
    const worst = simplex[dimension] as Vertex;
    // Relative spread, so the test is meaningful for SSEs of any magnitude.
    if (Math.abs(worst.value - best.value) <= tolerance * (Math.abs(best.value) + tolerance)) break;
    const centroid = new Array<number>(dimension).fill(0);
    for (const vertex of simplex.slice(0, dimension)) {
      for (let i = 0; i < dimension; i += 1) centroid[i] = (centroid[i] as number) + (vertex.x[i] as number) / dimension;
    }
    const reflected = evaluate(towards(centroid, worst.x, -1));
    const secondWorst = simplex[dimension - 1] as Vertex;
    if (reflected.value < best.value) {
      const expanded = evaluate(towards(centroid, worst.x, -2));
      simplex[dimension] = expanded.value < reflected.value ? expanded : reflected;
    } else if (reflected.value < secondWorst.value) {
      simplex[dimension] = reflected;
    } else {
      const outside = reflected.value < worst.value;
      const contracted = evaluate(towards(centroid, outside ? reflected.x : worst.x, 0.5));
      if (contracted.value < (outside ? reflected.value : worst.value)) {
        simplex[dimension] = contracted;
      } else {
        simplex = simplex.map((vertex, i) => (i === 0 ? vertex : evaluate(towards(best.x, vertex.x, 0.5))));
      }
    }
  }
  simplex.sort((a, b) => a.value - b.value);
  const best = simplex[0] as Vertex;
  return { x: best.x, value: best.value, iterations };
}
