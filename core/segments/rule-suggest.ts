/**
 * "Did you mean" for feature names. Typos in hand-written YAML are mostly one
 * dropped, doubled or swapped letter, so swaps count as one edit (optimal
 * string alignment distance) and case is ignored.
 */

/** How many names to list when nothing is close enough to suggest. */
export const LISTED_NAMES = 5;

/** Edit distance where insert, delete, substitute and swapping two neighbours each cost 1. */
export function editDistance(a: string, b: string): number {
  const width = b.length + 1;
  // Three rolling rows: the swap rule looks two rows back.
  let beforePrevious = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, index) => index);
  let current = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (beforePrevious[j - 2] as number) + 1);
      }
      current[j] = best;
    }
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return previous[b.length] as number;
}

/** Longer names tolerate more typos; a two-letter name suggests only on one edit. */
function tolerance(name: string): number {
  if (name.length <= 4) return 1;
  if (name.length <= 9) return 2;
  return 3;
}

/** The candidates ordered nearest first, ties alphabetical. */
function byDistance(name: string, candidates: Iterable<string>): { candidate: string; distance: number }[] {
  const lower = name.toLowerCase();
  return [...candidates]
    .map((candidate) => ({ candidate, distance: editDistance(lower, candidate.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance || (a.candidate < b.candidate ? -1 : a.candidate > b.candidate ? 1 : 0));
}

/** The known name a typo most likely meant, or null when none is close enough to guess. */
export function closestName(name: string, known: Iterable<string>): string | null {
  const best = byDistance(name, known)[0];
  return best && best.distance <= tolerance(name) ? best.candidate : null;
}

/**
 * What exists, nearest first, for when nothing is close enough to suggest:
 * the user is never left guessing what names are valid.
 */
export function knownNamesSentence(name: string, known: Iterable<string>): string {
  const ranked = byDistance(name, known);
  if (ranked.length === 0) return 'no features are defined';
  const listed = ranked.slice(0, LISTED_NAMES).map((entry) => `"${entry.candidate}"`).join(', ');
  const more = ranked.length - LISTED_NAMES;
  return more > 0 ? `known features include ${listed} and ${more} more` : `known features are ${listed}`;
}
