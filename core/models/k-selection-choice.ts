/**
 * Which k to use, and why, in words a marketer reads.
 *
 * Rule: the k with the best silhouette wins, unless the elbow of the inertia
 * curve (kneedle) scores within 0.01 of it: then the elbow wins.
 *
 * Why silhouette first: it measures what a segment list needs, that a
 * customer is closer to the rest of their segment than to the next segment.
 * Inertia always falls as k grows, so alone it cannot choose; its elbow
 * marks where more segments stop paying off, which makes it the right
 * tie-breaker. Why 0.01: the silhouette is measured on a sample (10,000 rows
 * by default) and a gap under 0.01 does not change how distinct the segments
 * look; then the k backed by a second, independent measure is the safer
 * pick. Why only the elbow itself and not "the tied k nearest the elbow": a
 * k between the two has the support of neither measure (on 8 true blobs with
 * a noisy elbow at 5, that reading chose 7 over the best, 8).
 * Calinski–Harabasz and Davies–Bouldin are reported in the table for the
 * record but do not vote: they often disagree with each other, and a
 * decision made by one measure can be explained in one sentence.
 */
export interface KScore {
  k: number;
  silhouette: number;
}

export interface KChoice {
  chosenK: number;
  reason: string;
}

export const SILHOUETTE_TIE = 0.01;

export function chooseK(scores: readonly KScore[], elbowK: number | null): KChoice {
  if (scores.length === 0) throw new RangeError('chooseK: no k was scored');
  const range = `${scores[0]!.k}–${scores[scores.length - 1]!.k}`;
  const scored = scores.filter((score) => Number.isFinite(score.silhouette));
  if (scored.length === 0) {
    const chosenK = elbowK ?? scores[0]!.k;
    const basis = elbowK === null ? 'the smallest k tried' : 'the elbow of the spread curve';
    return { chosenK, reason: `${chosenK} segments: the separation score could not be measured, so k follows ${basis}.` };
  }
  const best = scored.reduce((top, score) => (score.silhouette > top.silhouette ? score : top));
  const elbow = elbowK === null ? undefined : scored.find((score) => score.k === elbowK);

  if (elbow && elbow.k !== best.k && elbow.silhouette >= best.silhouette - SILHOUETTE_TIE) {
    return {
      chosenK: elbow.k,
      reason:
        `${elbow.k} segments: its separation score (${elbow.silhouette.toFixed(2)} out of 1) is within ${SILHOUETTE_TIE} of the best ` +
        `(${best.silhouette.toFixed(2)} with ${best.k}), too close to matter, and ${elbow.k} is where adding segments stops paying off ` +
        `(the elbow of the spread curve).`,
    };
  }
  const runnerUp = scored
    .filter((score) => score.k !== best.k)
    .reduce<KScore | undefined>((top, score) => (!top || score.silhouette > top.silhouette ? score : top), undefined);
  let margin = '';
  if (runnerUp && best.silhouette - runnerUp.silhouette < SILHOUETTE_TIE) {
    margin = `; ${runnerUp.k} segments score almost as well, ${runnerUp.silhouette.toFixed(3)} against ${best.silhouette.toFixed(3)}`;
  } else if (runnerUp) {
    margin = `; next best ${runnerUp.silhouette.toFixed(2)} with ${runnerUp.k}`;
  }
  let elbowNote: string;
  if (elbowK === best.k) elbowNote = ' It is also where adding segments stops paying off (the elbow of the spread curve).';
  else if (elbowK === null) elbowNote = ' The spread curve has no clear elbow to weigh against it.';
  else {
    const there = elbow ? elbow.silhouette.toFixed(2) : 'not measured';
    elbowNote = ` The spread curve bends at ${elbowK}, but customers are clearly less well separated there (${there}).`;
  }
  return {
    chosenK: best.k,
    reason: `${best.k} segments: customers are most clearly separated into ${best.k} groups (separation score ${best.silhouette.toFixed(2)} out of 1, the best of k = ${range}${margin}).${elbowNote}`,
  };
}
