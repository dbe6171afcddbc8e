import { describe, expect, it } from 'vitest';
import { errorFromCall, errorFromRecord, errorFromTokenEndpoint, parseBulkError } from './salesforce-errors.js';

/** What jsforce throws for a REST error body `[{message, errorCode}]` (HttpApiError: name = errorCode). */
function httpApiError(errorCode: string, message: string): Error {
  const error = new Error(message) as Error & { errorCode: string };
  error.name = errorCode;
  error.errorCode = errorCode;
  return error;
}

const mapped = (error: unknown, status?: number) => {
  const result = errorFromCall(error, status, 'upserting 200 Contact records');
  return { kind: result.kind, code: result.code, throttled: result.details.throttled, retryAfterMs: result.details.retryAfterMs };
};

describe('Salesforce error mapping', () => {
  it('tells the daily allocation (long wait) from the concurrency limit (short wait), both throttles', () => {
    expect(mapped(httpApiError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), 403)).toEqual({ kind: 'retryable', code: 'salesforce.daily_limit', throttled: true, retryAfterMs: 3_600_000 });
    expect(mapped(httpApiError('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'), 403)).toEqual({ kind: 'retryable', code: 'salesforce.concurrency_limit', throttled: true, retryAfterMs: 2_000 });
  });

  it('maps a session still refused after refresh to config', () => {
    expect(mapped(httpApiError('INVALID_SESSION_ID', 'Session expired or invalid'), 401).kind).toBe('config');
  });

  it('maps 5xx, whatever the body, and network errors to retryable', () => {
    expect(mapped(httpApiError('SERVER_UNAVAILABLE', 'try later'), 503).code).toBe('salesforce.server_error');
    expect(mapped(httpApiError('ERROR_HTTP_502', '<html>bad gateway</html>')).code).toBe('salesforce.server_error');
    expect(mapped(httpApiError('SOMETHING_NEW', 'odd'), 500).kind).toBe('retryable');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'FetchError', code: 'ECONNREFUSED' });
    expect(mapped(refused)).toMatchObject({ kind: 'retryable', code: 'salesforce.network' });
    expect(mapped(httpApiError('UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record')).kind).toBe('retryable');
  });

  it('maps a field or object the org lacks to config, other request errors to permanent', () => {
    expect(mapped(httpApiError('INVALID_FIELD', "No such column 'X__c' on sobject of type Contact"), 400)).toMatchObject({ kind: 'config', code: 'salesforce.invalid_field' });
    expect(mapped(httpApiError('MALFORMED_QUERY', 'unexpected token'), 400)).toMatchObject({ kind: 'permanent', code: 'salesforce.malformed_query' });
  });

  it('keeps a record\'s code and message; lock contention on a record is retryable', () => {
    const rejected = errorFromRecord([{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Blocked by rule', fields: ['Email'] }], 'Contact for profile u:1');
    expect(rejected).toMatchObject({ kind: 'permanent', code: 'salesforce.FIELD_CUSTOM_VALIDATION_EXCEPTION' });
    expect(rejected.message).toBe('Salesforce rejected Contact for profile u:1: FIELD_CUSTOM_VALIDATION_EXCEPTION: Blocked by rule (fields: Email)');
    expect(errorFromRecord([{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'locked' }], 'x').kind).toBe('retryable');
  });

  it('reads Bulk API sf__Error cells', () => {
    expect(parseBulkError('REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --')).toEqual({ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [LastName]', fields: ['LastName'] });
    expect(parseBulkError('FIELD_CUSTOM_VALIDATION_EXCEPTION:Blocked: by rule:--')).toEqual({ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Blocked: by rule', fields: [] });
  });

  it('maps token endpoint refusals to config and its outages to retryable', () => {
    const refused = Object.assign(new Error('invalid client credentials'), { name: 'invalid_client' });
    expect(errorFromTokenEndpoint(refused, 'https://acme.my.salesforce.com')).toMatchObject({ kind: 'config', code: 'salesforce.auth_failed' });
    const down = Object.assign(new Error('<html>'), { name: 'ERROR_HTTP_503' });
    expect(errorFromTokenEndpoint(down, 'https://acme.my.salesforce.com').kind).toBe('retryable');
  });
});
