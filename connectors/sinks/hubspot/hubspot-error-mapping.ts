import { z } from 'zod';
import { redactEmails } from '../../../core/privacy/redact-text.js';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import { HUBSPOT_CONNECTOR } from './hubspot-sink-config.js';

/**
 * HubSpot errors → segflow's taxonomy, decided here and nowhere else.
 * The SDK throws `ApiException {code, body, headers}` for every non-2xx
 * (bodies stay raw JSON, or a string for an HTML error page) and node-fetch
 * throws `FetchError` for network failures.
 *
 * The ConnectorError's `cause` is a small PII-free summary (status,
 * category, correlation id), never the SDK exception: its message embeds
 * the whole response body, emails included.
 */
export interface HubSpotFailure {
  status: number;
  category?: string;
  correlationId?: string;
}

const ErrorBodySchema = z.looseObject({
  status: z.string().optional(),
  message: z.string().optional(),
  category: z.string().optional(),
  subCategory: z.string().optional(),
  policyName: z.string().optional(),
  correlationId: z.string().optional(),
  errors: z.array(z.looseObject({ message: z.string().optional(), context: z.record(z.string(), z.array(z.string())).optional() })).optional(),
});

type ErrorBody = z.infer<typeof ErrorBodySchema>;

const DAY_MS = 86_400_000;
const TEN_SECONDS = 10_000;


export function httpFailure(error: unknown): { status: number; body: ErrorBody; rawBody: unknown; headers: Record<string, string> } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { code?: unknown; body?: unknown; headers?: unknown };
  if (typeof candidate.code !== 'number' || !('body' in candidate)) return undefined;
  const parsed = ErrorBodySchema.safeParse(candidate.body);
  const headers = typeof candidate.headers === 'object' && candidate.headers !== null ? (candidate.headers as Record<string, string>) : {};
  return { status: candidate.code, body: parsed.success ? parsed.data : {}, rawBody: candidate.body, headers };
}

/** The HTTP status behind a ConnectorError built here, if any (404/409 drive prepare's decisions). */
export function failureStatus(error: unknown): number | undefined {
  if (!(error instanceof ConnectorError)) return undefined;
  const cause = error.details.cause as Partial<HubSpotFailure> | undefined;
  return typeof cause?.status === 'number' ? cause.status : undefined;
}

export function toConnectorError(error: unknown, call: { label: string; now: number }): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const failure = httpFailure(error);
  if (!failure) return networkOrUnexpected(error, call.label);
  const { status, body, headers } = failure;
  const cause: HubSpotFailure = { status, ...(body.category ? { category: body.category } : {}), ...(body.correlationId ? { correlationId: body.correlationId } : {}) };
  const reason = describe(status, body, failure.rawBody);
  const details = { connector: HUBSPOT_CONNECTOR, cause };
  if (status === 401) {
    return new ConnectorError('config', 'hubspot.unauthorized', `HubSpot rejected the access token on ${call.label} (${reason}). Set a valid access_token, or refresh_token with client_id and client_secret so segflow can refresh it.`, details);
  }
  if (status === 403) {
    const scopes = (body.errors ?? []).flatMap((detail) => detail.context?.['requiredGranularScopes'] ?? detail.context?.['requiredScopes'] ?? []);
    const missing = scopes.length > 0 ? `the scope${scopes.length > 1 ? 's' : ''} ${scopes.join(', ')}` : 'a required scope';
    return new ConnectorError('config', 'hubspot.missing_scopes', `The HubSpot app lacks ${missing} needed for ${call.label} (${reason}). Add it to the private app's scopes, or re-authorize the OAuth app with it.`, details);
  }
  if (status === 429) {
    if (body.policyName === 'DAILY') {
      const untilMidnight = DAY_MS - (call.now % DAY_MS);
      return new ConnectorError('retryable', 'hubspot.daily_limit', `HubSpot's daily API limit for this account is used up (${call.label}); it resets at midnight (UTC here; HubSpot uses the account's time zone).`, { ...details, throttled: true, retryAfterMs: untilMidnight });
    }
    return new ConnectorError('retryable', 'hubspot.rate_limited', `HubSpot throttled ${call.label} (${reason}).`, { ...details, throttled: true, retryAfterMs: throttleWait(headers) });
  }
  if (status >= 500 || status === 408) {
    return new ConnectorError('retryable', 'hubspot.server_error', `HubSpot failed on ${call.label} (${reason}); retrying may help.`, details);
  }
  const code = (body.category ?? `http_${status}`).toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  return new ConnectorError('permanent', `hubspot.${code}`, `HubSpot refused ${call.label} (${reason}).`, details);
}

/**
 * HubSpot sends no Retry-After on REST 429s. The window is rolling, so the
 * oldest call leaves it within one interval: wait the interval the headers
 * announce (10 s by default), or Retry-After if a proxy adds one.
 */
function throttleWait(headers: Record<string, string>): number {
  const retryAfter = Number(headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
  const interval = Number(headers['x-hubspot-ratelimit-interval-milliseconds']);
  return Number.isFinite(interval) && interval > 0 ? interval : TEN_SECONDS;
}

function describe(status: number, body: ErrorBody, rawBody: unknown): string {
  const label = body.policyName ?? body.category ?? (body.status && body.status !== 'error' ? body.status : undefined);
  const message = body.message ?? (typeof rawBody === 'string' ? rawBody.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120) : '');
  return redactEmails([`HTTP ${status}`, label, message].filter((part) => part).join(' '));
}

function networkOrUnexpected(error: unknown, label: string): ConnectorError {
  const candidate = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; code?: unknown; message?: unknown };
  const message = typeof candidate.message === 'string' ? redactEmails(candidate.message) : String(error);
  if (candidate.name === 'FetchError' || (typeof candidate.code === 'string' && /^E[A-Z]+/.test(candidate.code))) {
    return new ConnectorError('retryable', 'hubspot.network', `Could not reach HubSpot for ${label}: ${message}`, { connector: HUBSPOT_CONNECTOR, cause: { code: candidate.code } });
  }
  return new ConnectorError('retryable', 'hubspot.unexpected', `Unexpected failure on ${label}: ${message}`, { connector: HUBSPOT_CONNECTOR });
}
