import { describe, expect, it } from 'vitest';
import { RFM_SEGMENTS, rfmSegmentFor } from './rfm-names.js';

describe('RFM segment map', () => {
  it('assigns every (R, F) cell to exactly one named segment', () => {
    for (let r = 1; r <= 5; r++) {
      for (let f = 1; f <= 5; f++) {
        const matches = RFM_SEGMENTS.filter((s) => r >= s.recency[0] && r <= s.recency[1] && f >= s.frequency[0] && f <= s.frequency[1]);
        expect(matches, `cell R${r}F${f}`).toHaveLength(1);
      }
    }
  });

  it('names the classic corners', () => {
    expect(rfmSegmentFor(5, 5).name).toBe('Champions');
    expect(rfmSegmentFor(1, 1).name).toBe('Hibernating');
    expect(rfmSegmentFor(1, 5).name).toBe("Can't Lose Them");
    expect(rfmSegmentFor(5, 1).name).toBe('New Customers');
    expect(() => rfmSegmentFor(0, 3)).toThrow(/out of range/);
  });
});
