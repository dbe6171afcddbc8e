/**
 * BigQuery's error JSON (https://cloud.google.com/bigquery/docs/error-messages):
 * `{error: {code, message, errors: [{message, domain, reason}], status}}`.
 */
export interface BigQueryErrorBody {
  error: { code: number; message: string; errors: Array<{ message: string; domain: string; reason: string }>; status: string };
}

function body(code: number, reason: string, domain: string, status: string, message: string): BigQueryErrorBody {
  return { error: { code, message, errors: [{ message, domain, reason }], status } };
}

export const rateLimitExceeded = (status: 429 | 403 = 429) =>
  body(status, 'rateLimitExceeded', 'usageLimits', 'RESOURCE_EXHAUSTED',
    'Exceeded rate limits: too many api requests per user per method for this user_method. For more information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas');

export const backendError = () =>
  body(500, 'backendError', 'global', 'INTERNAL', 'An internal error occurred and the request could not be completed. This is usually caused by a transient issue. Retrying the job with back-off as described in the BigQuery SLA should solve the problem.');

export const notFound = (what: string) => body(404, 'notFound', 'global', 'NOT_FOUND', `Not found: ${what}`);

export const unauthorized = (why: string) =>
  body(401, 'unauthorized', 'global', 'UNAUTHENTICATED', `Request is missing required authentication credential (${why}).`);

export const invalid = (message: string) => body(400, 'invalid', 'global', 'INVALID_ARGUMENT', message);
