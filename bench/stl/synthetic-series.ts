/**
 * Deterministic synthetic daily series for the STL benchmark: trend, weekly
 * season, noise from a seeded generator and a few outliers, so the robust
 * weights have something to do.
 */
export const DAYS = 365;
export const PERIOD = 7;

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticSeries(index: number): Float64Array {
  const random = mulberry32(index + 1);
  const level = 50 + 100 * random();
  const slope = (random() - 0.5) * 0.2;
  const amplitude = 5 + 20 * random();
  const y = new Float64Array(DAYS);
  for (let day = 0; day < DAYS; day += 1) {
    const noise = (random() - 0.5) * 10;
    const outlier = random() < 0.01 ? 200 * random() : 0;
    y[day] = level + slope * day + amplitude * Math.sin((2 * Math.PI * day) / PERIOD) + noise + outlier;
  }
  return y;
}
