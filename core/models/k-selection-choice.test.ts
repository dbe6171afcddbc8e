import { describe, expect, it } from 'vitest';
import { chooseK } from './k-selection-choice.js';

const scores = (silhouettes: Record<number, number>) =>
  Object.entries(silhouettes).map(([k, silhouette]) => ({ k: Number(k), silhouette }));

describe('chooseK', () => {
  it('takes the clearly best silhouette even when the elbow is elsewhere', () => {
    const choice = chooseK(scores({ 2: 0.43, 3: 0.34, 4: 0.34, 5: 0.32 }), 4);
    expect(choice.chosenK).toBe(2);
    expect(choice.reason).toBe(
      '2 segments: customers are most clearly separated into 2 groups (separation score 0.43 out of 1, the best of k = 2–5; next best 0.34 with 3). The spread curve bends at 4, but customers are clearly less well separated there (0.34).',
    );
  });

  it('takes the elbow when its silhouette is within 0.01 of the best', () => {
    const choice = chooseK(scores({ 2: 0.301, 3: 0.305, 4: 0.298, 5: 0.25 }), 4);
    expect(choice.chosenK).toBe(4);
    expect(choice.reason).toBe(
      '4 segments: its separation score (0.30 out of 1) is within 0.01 of the best (0.30 with 3), too close to matter, and 4 is where adding segments stops paying off (the elbow of the spread curve).',
    );
  });

  it('does not settle on a k between the elbow and the best: it has the support of neither', () => {
    // 7 is within 0.01 of the best (8) and nearer the elbow (5), but only 8 or 5 has a reason to be chosen.
    const choice = chooseK(scores({ 5: 0.545, 6: 0.571, 7: 0.648, 8: 0.654, 9: 0.585 }), 5);
    expect(choice.chosenK).toBe(8);
    expect(choice.reason).toBe(
      '8 segments: customers are most clearly separated into 8 groups (separation score 0.65 out of 1, the best of k = 5–9; 7 segments score almost as well, 0.648 against 0.654). The spread curve bends at 5, but customers are clearly less well separated there (0.55).',
    );
  });

  it('takes the best silhouette when the curve has no elbow', () => {
    const choice = chooseK(scores({ 3: 0.5, 4: 0.505, 5: 0.2 }), null);
    expect(choice.chosenK).toBe(4);
    expect(choice.reason).toMatch(/The spread curve has no clear elbow to weigh against it\.$/);
  });

  it('says when the best k is also the elbow', () => {
    expect(chooseK(scores({ 2: 0.2, 3: 0.5, 4: 0.3 }), 3).reason).toMatch(/It is also where adding segments stops paying off/);
  });

  it('falls back to the elbow when no silhouette could be measured', () => {
    expect(chooseK(scores({ 2: Number.NaN, 3: Number.NaN }), 3).chosenK).toBe(3);
  });
});
