/**
 * Seeded standard-normal noise for the tests of this folder (mulberry32 +
 * Box–Muller), so planted-signal tests are reproducible without fixtures.
 */
export function seededNormal(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

export function normalSeries(seed: number, length: number): number[] {
  const next = seededNormal(seed);
  return Array.from({ length }, () => next());
}
