/**
 * The classic RFM segment map over (R score, F score), 1..5 each, as used by
 * most RFM write-ups and by our pandas oracle (test/oracles/online_retail_rfm.py).
 * Every one of the 25 (R, F) cells maps to exactly one name.
 */
export interface RfmNamedSegment {
  slug: string;
  name: string;
  /** Inclusive score ranges. */
  recency: readonly [number, number];
  frequency: readonly [number, number];
  description: string;
}

export const RFM_SEGMENTS: readonly RfmNamedSegment[] = [
  { slug: 'champions', name: 'Champions', recency: [5, 5], frequency: [4, 5], description: 'Bought recently, buy often.' },
  { slug: 'loyal', name: 'Loyal Customers', recency: [3, 4], frequency: [4, 5], description: 'Buy often, fairly recently.' },
  { slug: 'potential_loyalists', name: 'Potential Loyalists', recency: [4, 5], frequency: [2, 3], description: 'Recent, buying more than once.' },
  { slug: 'new_customers', name: 'New Customers', recency: [5, 5], frequency: [1, 1], description: 'Bought very recently, once.' },
  { slug: 'promising', name: 'Promising', recency: [4, 4], frequency: [1, 1], description: 'Recent first-time buyers.' },
  { slug: 'need_attention', name: 'Need Attention', recency: [3, 3], frequency: [3, 3], description: 'Middling recency and frequency.' },
  { slug: 'about_to_sleep', name: 'About to Sleep', recency: [3, 3], frequency: [1, 2], description: 'Slipping away, bought rarely.' },
  { slug: 'at_risk', name: 'At Risk', recency: [1, 2], frequency: [3, 4], description: 'Used to buy often, not lately.' },
  { slug: 'cant_lose_them', name: "Can't Lose Them", recency: [1, 2], frequency: [5, 5], description: 'Best customers of old, gone quiet.' },
  { slug: 'hibernating', name: 'Hibernating', recency: [1, 2], frequency: [1, 2], description: 'Long gone, bought rarely.' },
];

export function rfmSegmentFor(recencyScore: number, frequencyScore: number): RfmNamedSegment {
  const found = RFM_SEGMENTS.find(
    (segment) =>
      recencyScore >= segment.recency[0] && recencyScore <= segment.recency[1] &&
      frequencyScore >= segment.frequency[0] && frequencyScore <= segment.frequency[1],
  );
  if (!found) throw new Error(`RFM scores out of range: R=${recencyScore} F=${frequencyScore}`);
  return found;
}

/** Feature columns an RFM segmentation adds, usable in rule segments. */
export function rfmOutputFeatures(id: string): Array<[string, 'number' | 'string']> {
  return [
    [`${id}_r`, 'number'],
    [`${id}_f`, 'number'],
    [`${id}_m`, 'number'],
    [`${id}_segment`, 'string'],
  ];
}
