import { describe, expect, it } from 'vitest';
import { isoTime } from './iso-time.js';
import { createRng } from '../random/rng.js';

describe('isoTime', () => {
  it('matches Date#toISOString', () => {
    const rng = createRng(11);
    const times = [0, -1, 86_399_999, 86_400_000, Date.UTC(2026, 0, 1), Date.UTC(2028, 1, 29, 23, 59, 59, 999), Date.UTC(1999, 11, 31, 23, 59, 59, 1)];
    for (let index = 0; index < 20_000; index++) times.push(Math.floor(rng.next() * 4e12) - 1e12);
    for (const time of times) expect(isoTime(time)).toBe(new Date(time).toISOString());
  });
});
