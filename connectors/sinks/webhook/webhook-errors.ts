import { ConnectorError } from '../../../core/errors/connector-error.js';
import { maskSnippet } from './mask-snippet.js';

/**
 * An endpoint's answers mapped to the taxonomy, in one place. The endpoint
 * is the user's own code, so the rules are HTTP's: 2xx took it; 408, 429
 * and 5xx may pass later; 401/403 mean the receiver does not accept our
 * signature or headers (a config fix, so delivery stops instead of
 * dead-lettering every action); any other 4xx refuses this request for
 * good; a redirect is not followed (a signed request must not go
 * somewhere the mapping did not name).
 */
const CONNECTOR = 'sink:webhook';

export interface WebhookAnswer {
  status: number;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string>>;
  body: string;
}

/** Where the failing POST went, for the message: the URL without its query (it may hold a token). */
export interface PostFacts {
  endpoint: string;
  actions: number;
  nowMs: number;
}

export function errorForAnswer(answer: WebhookAnswer, post: PostFacts): ConnectorError {
  const { status } = answer;
  const where = `POST ${post.endpoint} (${post.actions} action${post.actions === 1 ? '' : 's'})`;
  const said = answer.body.trim() === '' ? '' : `: ${maskSnippet(answer.body)}`;
  if (status >= 300 && status < 400) {
    const location = answer.headers.location;
    return new ConnectorError('permanent', 'webhook.redirected', `${where} answered HTTP ${status} redirecting to ${location ? withoutQuery(location, post.endpoint) : '(no Location)'}; segflow does not follow redirects: set url to the final address.`, { connector: CONNECTOR });
  }
  if (status === 401 || status === 403) {
    return new ConnectorError('config', 'webhook.unauthorized', `${where} was refused (HTTP ${status}${said}): check that secret matches the receiver's, that any Authorization header is right, and that this machine's clock is correct (receivers refuse signatures older than 5 minutes).`, { connector: CONNECTOR });
  }
  if (status === 429) {
    const wait = retryAfterMs(answer.headers, post.nowMs);
    return new ConnectorError('retryable', 'webhook.rate_limited', `${where} was rate-limited (HTTP 429${said}); ${wait === undefined ? 'the endpoint did not say how long to wait' : `it asks to wait ${Math.ceil(wait / 1_000)} s`}.`, {
      connector: CONNECTOR,
      throttled: true,
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    });
  }
  if (status === 408 || status >= 500) {
    const wait = retryAfterMs(answer.headers, post.nowMs);
    return new ConnectorError('retryable', 'webhook.unavailable', `${where} failed with HTTP ${status}${said}; it will be retried with the same Idempotency-Key.`, {
      connector: CONNECTOR,
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    });
  }
  return new ConnectorError('permanent', 'webhook.rejected', `${where} was rejected with HTTP ${status}${said}; the endpoint will not take it as sent, so it is not retried.`, { connector: CONNECTOR });
}

/** No answer: the socket failed or the timeout passed. The endpoint may have acted, so the retry carries the same Idempotency-Key. */
export function errorForNoAnswer(error: unknown, post: PostFacts & { timeoutMs: number; timedOut: boolean }): ConnectorError {
  const where = `POST ${post.endpoint} (${post.actions} action${post.actions === 1 ? '' : 's'})`;
  if (post.timedOut) {
    return new ConnectorError('retryable', 'webhook.timeout', `${where} got no answer within ${post.timeoutMs / 1_000} s; it will be retried with the same Idempotency-Key.`, { connector: CONNECTOR, cause: error });
  }
  const detail = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
  return new ConnectorError('retryable', 'webhook.network', `${where} failed before an answer (${detail}); it will be retried with the same Idempotency-Key.`, { connector: CONNECTOR, cause: error });
}

/** `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(headers: Readonly<Record<string, string>>, nowMs: number): number | undefined {
  const raw = headers['retry-after']?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1_000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** A URL for a message: origin and path, no query or fragment. */
export function withoutQuery(url: string, base?: string): string {
  try {
    const parsed = new URL(url, base);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}
