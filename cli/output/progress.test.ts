import { describe, expect, it } from 'vitest';
import { progressBar } from './progress.js';

describe('progress bar', () => {
  it('draws 20 cells and a percentage, clamped to 0..100%', () => {
    expect(progressBar(0)).toBe('[--------------------]   0%');
    expect(progressBar(0.4)).toBe('[########------------]  40%');
    expect(progressBar(1.7)).toBe('[####################] 100%');
  });
});
