import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import { errorForDeliveryFailure, errorForNetwork, errorForResponse } from './segment-errors.js';

const call = { url: 'https://api.segment.io/v1/batch', events: 100 };
const response = (status: number, headers: Record<string, string> = {}, body = '') => errorForResponse({ status, statusText: '', headers, body }, call);

describe('Segment error mapping', () => {
  it('maps each answer of the Tracking API to the taxonomy', () => {
    expect(response(400, {}, '{"success":false,"message":"Exceed payload limit"}')).toMatchObject({ kind: 'permanent', code: 'segment.batch_rejected', message: expect.stringContaining('Exceed payload limit') as string });
    expect(response(401)).toMatchObject({ kind: 'config', code: 'segment.unauthorized', message: expect.stringContaining('write_key') as string });
    expect(response(403)).toMatchObject({ kind: 'config' });
    expect(response(404)).toMatchObject({ kind: 'config', code: 'segment.wrong_host' });
    expect(response(500)).toMatchObject({ kind: 'retryable', code: 'segment.unavailable' });
    expect(response(503, { 'retry-after': '2' })).toMatchObject({ kind: 'retryable', details: { retryAfterMs: 2_000 } });
    expect(response(418)).toMatchObject({ kind: 'permanent', code: 'segment.unexpected_status' });
  });

  it('turns a 429 into a throttle carrying Retry-After, or X-RateLimit-Reset when that is all there is', () => {
    expect(response(429, { 'retry-after': '7', 'x-ratelimit-reset': '9' })).toMatchObject({ kind: 'retryable', code: 'segment.rate_limited', details: { throttled: true, retryAfterMs: 7_000 } });
    expect(response(429, { 'x-ratelimit-reset': '9' }).details.retryAfterMs).toBe(9_000);
    const silent = response(429, { 'retry-after': 'soon' });
    expect(silent.details).toMatchObject({ throttled: true });
    expect(silent.details.retryAfterMs).toBeUndefined();
  });

  it('retries network failures and timeouts; keeps the SDK size guard permanent', () => {
    expect(errorForNetwork(new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') }), call)).toMatchObject({ kind: 'retryable', code: 'segment.network', message: expect.stringContaining('ECONNREFUSED') as string });
    expect(errorForNetwork(new DOMException('timed out', 'TimeoutError'), call)).toMatchObject({ kind: 'retryable', code: 'segment.timeout' });
    expect(errorForDeliveryFailure(new Error('Event exceeds maximum event size of 32 KB'))).toMatchObject({ kind: 'permanent', code: 'segment.event_too_large' });
    expect(errorForDeliveryFailure(new Error('Flush timeout'))).toMatchObject({ kind: 'retryable' });
    const own = new ConnectorError('config', 'segment.unauthorized', 'x');
    expect(errorForDeliveryFailure(own)).toBe(own);
  });
});
