import { ConnectorError } from '../../../../core/errors/connector-error.js';
import { decideHttpStatus, decideRequestError } from './error-map.js';
import { IdentityTokenSchema, MarketoEnvelopeSchema } from './envelope.js';
import { createTokenCache, type IssuedToken } from './token-cache.js';

/**
 * A small typed Marketo REST client on `fetch` (Marketo has no maintained
 * SDK, DESIGN.md "Vendor clients"). It never paces or retries on its own:
 * the sync executor does both. The one exception is auth: an expired token
 * is refreshed (single-flight) and the call replayed once, because 601/602
 * answers are free (not counted by Marketo) and not a failure of the sync.
 */
export interface MarketoClientOptions {
  /** REST base, e.g. `https://123-ABC-456.mktorest.com`. */
  baseUrl: string;
  /** Identity base; the token endpoint is `<identityUrl>/oauth/token`. */
  identityUrl: string;
  clientId: string;
  clientSecret: string;
  now: () => number;
  /** The rolling window Marketo counts calls in: how long a 606 waits. @default 20000 */
  rateWindowMs?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default 'sink:marketo' */
  connector?: string;
}

export interface MarketoRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path under the REST base, e.g. `/rest/v1/leads.json`. */
  path: string;
  query?: Record<string, string>;
  /** JSON body (REST endpoints). */
  json?: unknown;
  /** Form body (the Asset API's create calls). */
  form?: Record<string, string>;
}

export interface MarketoSuccess {
  requestId: string;
  result: unknown[];
  moreResult: boolean;
  nextPageToken?: string;
}

export interface MarketoClient {
  send(request: MarketoRequest, signal?: AbortSignal): Promise<MarketoSuccess>;
  /** Identity calls made so far. */
  tokenRequests(): number;
}

/** Marketo answers 414 past 8 KB of URI; a GET longer than this is re-sent as POST with `_method=GET`. */
const MAX_GET_URL_LENGTH = 7_000;

type Attempt = { outcome: 'success'; value: MarketoSuccess } | { outcome: 'token-rejected'; code: string };

export function createMarketoClient(options: MarketoClientOptions): MarketoClient {
  const doFetch = options.fetch ?? globalThis.fetch;
  const connector = options.connector ?? 'sink:marketo';
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const identityUrl = options.identityUrl.replace(/\/+$/, '');
  const tokens = createTokenCache(() => issueToken(), options.now);

  function fail(kind: ConnectorError['kind'], reason: string, message: string, extra: { retryAfterMs?: number; throttled?: boolean; cause?: unknown } = {}): ConnectorError {
    return new ConnectorError(kind, `marketo.${reason}`, message, { connector, ...extra });
  }

  async function fetchOrFail(url: string, init: RequestInit, where: string, signal?: AbortSignal): Promise<Response> {
    try {
      return await doFetch(url, { ...init, signal });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw fail('retryable', 'network_error', `Marketo could not be reached for ${where}: ${String(error)}. The sync will retry.`, { cause: error });
    }
  }

  async function issueToken(): Promise<IssuedToken> {
    // Marketo documents the credentials as query parameters of GET|POST; POST keeps proxies from caching tokens.
    const query = new URLSearchParams({ grant_type: 'client_credentials', client_id: options.clientId, client_secret: options.clientSecret });
    const where = `POST ${identityUrl}/oauth/token`;
    const response = await fetchOrFail(`${identityUrl}/oauth/token?${query.toString()}`, { method: 'POST' }, where);
    if (response.status !== 200) {
      const decision = decideHttpStatus(response.status);
      const hint = decision.kind === 'config' ? ' Check client_id and client_secret (Admin > LaunchPoint > the custom service).' : '';
      throw fail(decision.kind, decision.kind === 'config' ? 'bad_credentials' : decision.reason, `Marketo Identity answered HTTP ${response.status} to ${where}.${hint}`, { throttled: decision.throttled });
    }
    const parsed = IdentityTokenSchema.safeParse(await readJson(response, where));
    if (!parsed.success) throw fail('retryable', 'bad_response', `Marketo Identity sent an unexpected token response to ${where}.`);
    return { value: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in };
  }

  async function readJson(response: Response, where: string): Promise<unknown> {
    const text = await response.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw fail('retryable', 'bad_response', `Marketo sent a body that is not JSON to ${where} (HTTP ${response.status}).`);
    }
  }

  function buildRequest(request: MarketoRequest, token: string): { url: string; init: RequestInit; where: string } {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    const query = new URLSearchParams(request.query);
    const where = `${request.method} ${request.path}`;
    let url = `${baseUrl}${request.path}${query.size > 0 ? `?${query.toString()}` : ''}`;
    if (request.method === 'GET' && url.length > MAX_GET_URL_LENGTH) {
      // Marketo's documented way around the 8 KB URI limit (vendor-facts.md §3 "Quotas").
      url = `${baseUrl}${request.path}?_method=GET`;
      headers['content-type'] = 'application/x-www-form-urlencoded';
      return { url, init: { method: 'POST', headers, body: query.toString() }, where };
    }
    let body: string | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    }
    return { url, init: { method: request.method, headers, body }, where };
  }

  async function attempt(request: MarketoRequest, token: string, signal?: AbortSignal): Promise<Attempt> {
    const { url, init, where } = buildRequest(request, token);
    const response = await fetchOrFail(url, init, where, signal);
    if (response.status !== 200) {
      await response.body?.cancel();
      const decision = decideHttpStatus(response.status);
      throw fail(decision.kind, decision.reason, `Marketo answered HTTP ${response.status} to ${where}.`, { throttled: decision.throttled });
    }
    const parsed = MarketoEnvelopeSchema.safeParse(await readJson(response, where));
    if (!parsed.success) throw fail('retryable', 'bad_response', `Marketo sent an unexpected response envelope to ${where}.`);
    const envelope = parsed.data;
    if (envelope.success) {
      return {
        outcome: 'success',
        value: { requestId: envelope.requestId ?? '', result: envelope.result ?? [], moreResult: envelope.moreResult ?? false, nextPageToken: envelope.nextPageToken },
      };
    }
    const first = envelope.errors?.[0] ?? { code: 'none', message: 'success:false without errors' };
    const decision = decideRequestError(first.code, options.now(), options.rateWindowMs);
    if (decision.action === 'refresh-token') return { outcome: 'token-rejected', code: first.code };
    const requestId = envelope.requestId ? ` (requestId ${envelope.requestId})` : '';
    throw fail(decision.kind, decision.reason, `Marketo answered ${first.code} "${first.message ?? ''}" to ${where}${requestId}.`, {
      throttled: decision.throttled,
      retryAfterMs: decision.retryAfterMs,
    });
  }

  return {
    async send(request, signal) {
      const token = await tokens.current();
      const first = await attempt(request, token, signal);
      if (first.outcome === 'success') return first.value;
      tokens.invalidate(token);
      const replay = await attempt(request, await tokens.current(), signal);
      if (replay.outcome === 'success') return replay.value;
      throw fail('retryable', 'token_rejected', `Marketo rejected a freshly issued access token (${replay.code}) for ${request.method} ${request.path}. The sync will retry.`);
    },
    tokenRequests: () => tokens.requests,
  };
}
