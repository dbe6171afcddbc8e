import { describe, expect, it } from 'vitest';
import { CONCURRENCY_RETRY_MS, RATE_WINDOW_RETRY_MS, decideHttpStatus, decideRecordReason, decideRequestError } from './error-map.js';

// 2026-11-25 12:00 US Central (CST, UTC-6): twelve hours to the quota reset.
const NOON_CENTRAL = Date.parse('2026-11-25T18:00:00Z');

describe('Marketo request-level codes → taxonomy', () => {
  it.each([
    ['601', { action: 'refresh-token' }],
    ['602', { action: 'refresh-token' }],
    ['603', { action: 'fail', kind: 'config', throttled: false }],
    ['604', { action: 'fail', kind: 'retryable', throttled: false }],
    ['606', { action: 'fail', kind: 'retryable', throttled: true, retryAfterMs: RATE_WINDOW_RETRY_MS }],
    ['607', { action: 'fail', kind: 'retryable', throttled: true, retryAfterMs: 12 * 3_600_000 }],
    ['608', { action: 'fail', kind: 'retryable', throttled: false }],
    ['609', { action: 'fail', kind: 'permanent', throttled: false }],
    ['610', { action: 'fail', kind: 'permanent', throttled: false }],
    ['611', { action: 'fail', kind: 'retryable', throttled: false }],
    ['612', { action: 'fail', kind: 'permanent', throttled: false }],
    ['615', { action: 'fail', kind: 'retryable', throttled: true, retryAfterMs: CONCURRENCY_RETRY_MS }],
    ['709', { action: 'fail', kind: 'permanent', throttled: false }],
    ['710', { action: 'fail', kind: 'config', throttled: false }],
    ['713', { action: 'fail', kind: 'retryable', throttled: false }],
    ['1003', { action: 'fail', kind: 'permanent', throttled: false }],
    ['1016', { action: 'fail', kind: 'retryable', throttled: true }],
    ['1029', { action: 'fail', kind: 'retryable', throttled: false }],
    // Field lesson: a code we do not know is never dropped.
    ['799', { action: 'fail', kind: 'retryable', reason: 'unknown_code', throttled: false }],
  ])('%s', (code, expected) => {
    expect(decideRequestError(code, NOON_CENTRAL)).toMatchObject(expected);
  });

  it('606 waits the window the subscription is configured with', () => {
    expect(decideRequestError('606', NOON_CENTRAL, 5_000)).toMatchObject({ retryAfterMs: 5_000 });
  });

  it('607 waits until midnight US Central in summer time too (CDT, UTC-5)', () => {
    expect(decideRequestError('607', Date.parse('2026-07-01T04:30:00Z'))).toMatchObject({ retryAfterMs: 30 * 60_000 });
  });
});

describe('Marketo record-level reasons → change results', () => {
  it.each([
    ['1003', 'upsert', { status: 'failed', kind: 'permanent' }],
    ['1006', 'upsert', { status: 'failed', kind: 'permanent' }],
    ['1007', 'upsert', { status: 'failed', kind: 'permanent' }],
    ['1004', 'update', { status: 'skipped' }],
    ['1004', 'list-remove', { status: 'skipped' }],
    ['1004', 'delete', { status: 'skipped' }],
    ['1004', 'list-add', { status: 'failed', kind: 'permanent' }],
    ['1015', 'list-remove', { status: 'skipped' }],
    ['1099', 'upsert', { status: 'failed', kind: 'retryable' }],
  ] as const)('%s on %s', (code, op, expected) => {
    expect(decideRecordReason(code, op)).toMatchObject(expected);
  });
});

describe('HTTP-level statuses', () => {
  it.each([
    [401, 'config'],
    [413, 'permanent'],
    [414, 'permanent'],
    [429, 'retryable'],
    [502, 'retryable'],
    [503, 'retryable'],
  ] as const)('%d → %s', (status, kind) => {
    expect(decideHttpStatus(status).kind).toBe(kind);
  });
});
