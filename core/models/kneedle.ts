/**
 * Kneedle (Satopää et al., 2011), offline, as the `kneed` Python package
 * implements it: normalise x and y to [0, 1], turn the curve so its knee is a
 * maximum of the difference curve y′ − x′, and accept the first local maximum
 * after which the difference drops below (max − S × mean Δx′) before the next
 * local maximum. For inertia against k (convex, decreasing) the knee is the
 * "elbow": the k after which more clusters buy much less.
 *
 * No knee (null) when the curve is flat or straight enough that no maximum
 * stands S steps above the rest: better to say "no clear elbow" than invent one.
 */
export interface KneedleOptions {
  /** @default 'convex' */
  curve?: 'convex' | 'concave';
  /** @default 'decreasing' */
  direction?: 'increasing' | 'decreasing';
  /** S: how pronounced the knee must be; kneed's default. @default 1 */
  sensitivity?: number;
}

export interface Knee {
  /** Index into the input arrays. */
  index: number;
  /** x at the knee. */
  x: number;
}

export function kneedle(x: readonly number[], y: readonly number[], options: KneedleOptions = {}): Knee | null {
  const curve = options.curve ?? 'convex';
  const direction = options.direction ?? 'decreasing';
  const sensitivity = options.sensitivity ?? 1;
  if (x.length !== y.length) throw new RangeError(`kneedle: ${x.length} x values but ${y.length} y values`);
  const count = x.length;
  if (count < 3) return null;
  const xNormalized = normalize(x);
  const yNormalized = normalize(y);
  if (!xNormalized || !yNormalized) return null;

  // kneed's transform_y: convert elbows to knees.
  let yTurned = yNormalized;
  if (direction === 'decreasing' && curve === 'concave') yTurned = [...yNormalized].reverse();
  else if (direction === 'decreasing' && curve === 'convex') yTurned = yNormalized.map((value) => 1 - value);
  else if (direction === 'increasing' && curve === 'convex') yTurned = yNormalized.map((value) => 1 - value).reverse();
  const difference = yTurned.map((value, index) => value - xNormalized[index]!);

  const maxima = relativeExtrema(difference, (a, b) => a >= b);
  const minima = new Set(relativeExtrema(difference, (a, b) => a <= b));
  if (maxima.length === 0) return null;
  const meanStep = Math.abs((xNormalized[count - 1]! - xNormalized[0]!) / (count - 1));
  const thresholds = new Map(maxima.map((index) => [index, difference[index]! - sensitivity * meanStep]));

  let threshold = 0;
  let thresholdIndex = 0;
  for (let index = maxima[0]!; index < count - 1; index++) {
    const atMaximum = thresholds.get(index);
    if (atMaximum !== undefined) {
      threshold = atMaximum;
      thresholdIndex = index;
    }
    if (minima.has(index)) threshold = 0;
    if (difference[index + 1]! < threshold) {
      // Where the flips above moved the knee, read x from the other end, as kneed does.
      const flipped = (curve === 'convex' && direction === 'increasing') || (curve === 'concave' && direction === 'decreasing');
      const kneeIndex = flipped ? count - 1 - thresholdIndex : thresholdIndex;
      return { index: kneeIndex, x: x[kneeIndex]! };
    }
  }
  return null;
}

function normalize(values: readonly number[]): number[] | null {
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (!(max > min)) return null;
  return values.map((value) => (value - min) / (max - min));
}

/**
 * scipy.signal.argrelextrema(values, comparator) with order 1 and mode
 * 'clip': an end point compares with itself on its open side, so with ≥ / ≤
 * the ends can count as extrema, as they do in kneed.
 */
function relativeExtrema(values: readonly number[], comparator: (a: number, b: number) => boolean): number[] {
  const found: number[] = [];
  for (let index = 0; index < values.length; index++) {
    const previous = values[Math.max(0, index - 1)]!;
    const next = values[Math.min(values.length - 1, index + 1)]!;
    if (comparator(values[index]!, previous) && comparator(values[index]!, next)) found.push(index);
  }
  return found;
}
