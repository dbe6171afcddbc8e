/**
 * The most frequent complete journeys, start → … → exit, after merging
 * immediate repeats (so view, view, cart and view, cart are one path).
 * Paths longer than `maxLength` states keep their first `maxLength` states
 * and end in "…" before exit, which groups the long tail by how it began.
 *
 * Ties are broken by the path's state indices, shorter first, then
 * lexicographically, so the same data always gives the same list whatever
 * order the sequences came in (Map insertion order would not).
 */
import { EXIT_STATE, START_STATE } from './markov-transitions.js';
import { assertValidSequences, collapseRepeats, type StateSequences } from './sequences.js';

export const TRUNCATION_MARK = '…';

export interface TopPathsOptions {
  /** How many paths to return. @default 10 */
  limit?: number;
  /** States kept per path before "…". @default 8 */
  maxLength?: number;
}

export interface PathCount {
  /** `start`, the states (maybe ending in "…"), `exit`. */
  path: readonly string[];
  /** The path joined with " → ", for a report. */
  label: string;
  count: number;
  /** count / sequences with at least one state. */
  share: number;
}

export interface TopPaths {
  /** Sequences with at least one state; empty ones have no journey and are left out. */
  sequences: number;
  /** Distinct paths after collapsing and truncation. */
  distinctPaths: number;
  paths: PathCount[];
}

export function topPaths(sequences: StateSequences, options: TopPathsOptions = {}): TopPaths {
  assertValidSequences(sequences, 'topPaths');
  const limit = options.limit ?? 10;
  const maxLength = options.maxLength ?? 8;
  if (!(Number.isInteger(maxLength) && maxLength >= 1)) throw new RangeError(`topPaths: maxLength must be a positive integer, got ${maxLength}`);
  if (!(Number.isInteger(limit) && limit >= 0)) throw new RangeError(`topPaths: limit must be a non-negative integer, got ${limit}`);
  const collapsed = collapseRepeats(sequences);
  const { counts, total } = countPaths(collapsed, maxLength);
  const ranked = [...counts.entries()].map(([key, count]) => ({ key, states: decodeKey(key), count }));
  ranked.sort((left, right) => right.count - left.count || compareStates(left.states, right.states));
  return {
    sequences: total,
    distinctPaths: ranked.length,
    paths: ranked.slice(0, limit).map(({ states, count }) => {
      const path = toNames(states, sequences.stateNames);
      return { path, label: path.join(' → '), count, share: total === 0 ? 0 : count / total };
    }),
  };
}

/** Truncated paths are marked by a -1 after the kept states. */
function countPaths(collapsed: StateSequences, maxLength: number): { counts: Map<string, number>; total: number } {
  const { states, offsets } = collapsed;
  const counts = new Map<string, number>();
  let total = 0;
  for (let sequence = 0; sequence + 1 < offsets.length; sequence++) {
    const first = offsets[sequence] as number;
    const end = offsets[sequence + 1] as number;
    if (first === end) continue;
    total++;
    const kept = Array.from(states.subarray(first, Math.min(end, first + maxLength)));
    if (end - first > maxLength) kept.push(-1);
    const key = kept.join(',');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { counts, total };
}

function decodeKey(key: string): number[] {
  return key.split(',').map(Number);
}

function compareStates(left: readonly number[], right: readonly number[]): number {
  if (left.length !== right.length) return left.length - right.length;
  for (let index = 0; index < left.length; index++) {
    const difference = (left[index] as number) - (right[index] as number);
    if (difference !== 0) return difference;
  }
  return 0;
}

function toNames(states: readonly number[], stateNames: readonly string[]): string[] {
  return [START_STATE, ...states.map((state) => (state < 0 ? TRUNCATION_MARK : (stateNames[state] as string))), EXIT_STATE];
}
