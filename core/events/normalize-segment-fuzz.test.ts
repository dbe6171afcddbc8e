import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeSegmentMessage } from './normalize-segment.js';

/**
 * The reference normalizer every JSONL line, journal line and webhook event
 * falls back to: any JSON value gives an event or a reason, never a throw,
 * and both outcomes occur on Segment-shaped input.
 */
const NOW = Date.parse('2026-12-01T00:00:00Z');
const segmentish = fc.record({
  type: fc.constantFrom('track', 'identify', 'page', 'screen', 'group', 'alias', 'bogus', 7),
  event: fc.option(fc.string(), { nil: undefined }),
  userId: fc.option(fc.oneof(fc.string(), fc.integer()), { nil: undefined }),
  anonymousId: fc.option(fc.string(), { nil: undefined }),
  messageId: fc.option(fc.oneof(fc.string(), fc.integer()), { nil: undefined }),
  timestamp: fc.option(fc.oneof(fc.date({ noInvalidDate: true, min: new Date('2020-01-01'), max: new Date('2026-11-30') }).map((date) => date.toISOString()), fc.string(), fc.integer()), { nil: undefined }),
  properties: fc.option(fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue()), { nil: undefined }),
  traits: fc.option(fc.dictionary(fc.string(), fc.jsonValue()), { nil: undefined }),
  context: fc.option(fc.jsonValue(), { nil: undefined }),
}, { requiredKeys: ['type'] });

describe('normalizeSegmentMessage (property)', () => {
  it('turns any JSON value into an event or a reason', () => {
    const seen = { event: 0, reason: 0 };
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), segmentish), (value) => {
      const result = normalizeSegmentMessage(value, { now: NOW }, JSON.stringify(value) ?? 'null');
      if (result.ok) {
        seen.event += 1;
        expect(typeof result.event.messageId).toBe('string');
        expect(Number.isFinite(result.event.timestamp)).toBe(true);
      } else {
        seen.reason += 1;
        expect(result.reason.length).toBeGreaterThan(5);
      }
    }), { numRuns: 2_000, seed: 20261203 });
    expect(seen.event).toBeGreaterThan(20);
    expect(seen.reason).toBeGreaterThan(20);
  });
});
