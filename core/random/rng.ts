/**
 * Seeded randomness for synthetic data, simulators, tests and model training.
 * sfc32 (Doty-Humphrey's Small Fast Chaotic generator) uses only 32-bit
 * integer ops, which V8 runs without allocating, and passes PractRand;
 * splitmix32 spreads the seed over sfc32's 128-bit state so neighbouring
 * seeds (1, 2, 3) give unrelated streams.
 * Math.random is never used: the same seed must give byte-identical worlds,
 * simulator fault sequences and model fits.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform 32-bit unsigned integer (ids, hex strings). */
  uint32(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** A uniformly chosen element; throws on an empty list. */
  pick<T>(items: readonly T[]): T;
  /** Standard normal (mean 0, standard deviation 1), Box-Muller. */
  normal(): number;
  /** Exponential with the given mean (waiting times between sessions, clicks). */
  exponential(mean: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
}

const TWO_POW_32 = 4_294_967_296;

export function createRng(seed: number): Rng {
  const seeder = splitmix32(foldSeed(seed, 'createRng'));
  let a = seeder();
  let b = seeder();
  let c = seeder();
  let d = seeder();

  function uint32(): number {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  }
  // The first outputs still echo the seed's structure; discard them.
  for (let index = 0; index < 12; index++) uint32();

  function next(): number {
    return uint32() / TWO_POW_32;
  }

  return {
    next,
    uint32,
    int: (n) => Math.floor(next() * n),
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('Rng.pick: cannot pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    // 1 - next() is in (0, 1], so the log is finite.
    exponential: (mean) => -mean * Math.log(1 - next()),
    chance: (p) => next() < p,
  };
}

/**
 * A seed for an independent stream: `deriveSeed(seed, userIndex, 1)` gives
 * each user its own generator, so user 7 is the same whether the world has 10
 * or 10 million users, and users can be generated in any order or in parallel.
 */
export function deriveSeed(seed: number, ...parts: readonly number[]): number {
  let hash = splitmix32(foldSeed(seed, 'deriveSeed'))();
  for (const part of parts) hash = splitmix32(hash ^ foldSeed(part, 'deriveSeed'))();
  return hash;
}

/** Folds a safe integer (up to 53 bits, possibly negative) into 32 bits without losing the high bits. */
function foldSeed(seed: number, caller: string): number {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`${caller}: seed must be a safe integer, got ${seed}`);
  const high = Math.floor(seed / TWO_POW_32) | 0;
  return (seed ^ splitmix32(high)()) | 0;
}

function splitmix32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}
