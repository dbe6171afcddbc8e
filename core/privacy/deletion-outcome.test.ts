import { describe, expect, it } from 'vitest';
import type { SinkSyncSummary } from '../sync/run-sync.js';
import { deletionOutcome, finishedSinks } from './deletion-outcome.js';

const tally = (overrides = {}) => ({ applied: 0, skipped: 0, deadLettered: 0, failed: 0, ...overrides });
function summary(overrides: Partial<SinkSyncSummary> = {}, deletes = {}, stopped?: string): SinkSyncSummary {
  return {
    sinkId: 'crm', type: 'hubspot', mode: 'sync', profiles: 1, excluded: { noKey: 0, noConsent: 0, sharedKey: 0, suppressed: 0 }, unchanged: 0, parked: 0,
    planned: { upsert: 0, update: 0, 'list-add': 0, 'list-remove': 0, delete: 1 }, examples: [], minimumCalls: 1,
    execution: {
      byOp: { upsert: tally(), update: tally(), 'list-add': tally(), 'list-remove': tally(), delete: tally(deletes) },
      applied: 1, created: 0, skipped: 0, deadLettered: 0, failed: 0, blocked: 0, retries: 0, throttled: 0, failureSamples: [], ...(stopped ? { stopped } : {}),
    },
    ...overrides,
  };
}

describe('whether a sync finished an erasure at a sink', () => {
  it('is done when the delete was applied', () => {
    expect(deletionOutcome(summary({}, { applied: 1 }))).toEqual({ sinkId: 'crm', type: 'hubspot', status: 'done', deleted: 1 });
  });

  it('stays pending when the sink could not start, a delete failed or was refused, or the sync stopped before it', () => {
    expect(deletionOutcome(summary({ error: 'bad token' }))).toMatchObject({ status: 'pending', reason: 'bad token' });
    expect(deletionOutcome(summary({}, { deadLettered: 1 }))).toMatchObject({ status: 'pending', reason: expect.stringMatching(/refused or failed/) as string });
    expect(deletionOutcome(summary({}, { failed: 1 }))).toMatchObject({ status: 'pending' });
    expect(deletionOutcome(summary({}, {}, 'daily quota'))).toMatchObject({ status: 'pending', reason: 'the sync stopped early: daily quota' });
  });

  it('names only the finished sinks', () => {
    const outcomes = [deletionOutcome(summary({}, { applied: 1 })), deletionOutcome(summary({ sinkId: 'eu', error: 'down' }))];
    expect(finishedSinks(outcomes)).toEqual(new Set(['crm']));
  });
});
