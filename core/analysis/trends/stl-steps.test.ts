import { describe, expect, it } from 'vitest';
import { selectInPlace } from './stl-steps.js';

/** The robustness weights need two exact order statistics; selection must give what a full sort gives. */
describe('selectInPlace', () => {
  it('puts the k-th smallest at k, with nothing larger before it and nothing smaller after, ties and sorted runs included', () => {
    let state = 7;
    const random = () => ((state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296);
    const inputs = [
      Float64Array.from({ length: 365 }, () => Math.round(random() * 40)),
      Float64Array.from({ length: 101 }, (_, index) => index),
      Float64Array.from({ length: 100 }, (_, index) => 100 - index),
      new Float64Array(50).fill(3),
      Float64Array.of(2, 1),
    ];
    for (const input of inputs) {
      const sorted = Float64Array.from(input).sort();
      for (const k of [0, input.length >> 1, (input.length >> 1) - 1, input.length - 1]) {
        if (k < 0) continue;
        const a = Float64Array.from(input);
        selectInPlace(a, 0, a.length - 1, k);
        expect(a[k]).toBe(sorted[k]);
        for (let i = 0; i < k; i++) expect(a[i]).toBeLessThanOrEqual(a[k] as number);
        for (let i = k + 1; i < a.length; i++) expect(a[i]).toBeGreaterThanOrEqual(a[k] as number);
      }
    }
  });
});
