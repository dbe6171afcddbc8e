import { describe, expect, it } from 'vitest';
import { openEphemeralStateStore } from '../core/store/state/open-state-store.js';

/**
 * Erasure reaches the run history: summaries quote failure samples and
 * example changes by profile id (`u:<userId>`) and vendor messages by email.
 * Only the person's identifiers change; other values, however short, stay.
 */
describe('scrubbing an erased person from stored run summaries', () => {
  it('replaces their ids and email and nothing else', async () => {
    const state = openEphemeralStateStore(() => 0);
    try {
      await state.runs.start({ runId: 'r1', mapping: 'm.yaml', startedAt: '2026-06-01T00:00:00Z' });
      await state.runs.finish('r1', { status: 'succeeded', finishedAt: '2026-06-01T00:01:00Z', summary: {
        applied: 7, failureSamples: [{ profileId: 'u:7', message: 'HubSpot rejected profile u:7: Email address Ada@Example.com is invalid' }],
        examples: [{ profileId: 'u:70', key: 'a***@example.com' }], anonymous: 'a:7',
      } });
      await state.runs.start({ runId: 'r2', mapping: 'm.yaml', startedAt: '2026-06-02T00:00:00Z' });
      await state.runs.finish('r2', { status: 'succeeded', finishedAt: '2026-06-02T00:01:00Z', summary: { applied: 7 } });

      expect(await state.runs.scrub(['7', 'ada@example.com'], '[erased]')).toBe(1);
      const [, first] = await state.runs.recent(2);
      expect(first?.summary).toEqual({
        applied: 7, failureSamples: [{ profileId: 'u:[erased]', message: 'HubSpot rejected profile u:[erased]: Email address [erased] is invalid' }],
        examples: [{ profileId: 'u:70', key: 'a***@example.com' }], anonymous: 'a:[erased]',
      });
      expect(await state.runs.scrub(['nobody'], '[erased]')).toBe(0);
    } finally {
      await state.close();
    }
  });
});
