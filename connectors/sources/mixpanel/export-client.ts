import type { Readable } from 'node:stream';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import { readErrorText, type HttpGet } from './export-http.js';
import { MIXPANEL_SOURCE, type MixpanelSettings } from './mixpanel-config.js';
import type { RateLimiter } from './rate-limiter.js';
import { backoffDelay, retryAfterMs, type RetryPolicy } from './retry-policy.js';

export interface ExportClientDependencies {
  get: HttpGet;
  limiter: RateLimiter;
  policy: RetryPolicy;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
}

export interface OpenedExport {
  body: Readable;
  /** Content-Encoding: gzip. Mixpanel compresses only bodies over 1,400 bytes, so small days arrive plain. */
  gzip: boolean;
}

/** The request URL of one day (no credentials in it: it also names the day in rejects and errors). */
export function exportUrl(settings: MixpanelSettings, day: string): URL {
  const url = new URL(`${settings.baseUrl}/api/2.0/export`);
  url.searchParams.set('project_id', settings.projectId);
  url.searchParams.set('from_date', day);
  url.searchParams.set('to_date', day);
  if (settings.events !== null) url.searchParams.set('event', JSON.stringify(settings.events));
  return url;
}

/**
 * Opens one day's export: waits for the local rate limiter, then retries
 * 5xx and failed connections with backoff, and waits out 429s (Retry-After
 * when given) without using up those retries. 401/403 stop at once (a
 * credential or role problem no retry fixes), as does any other 4xx.
 */
export async function openExport(settings: MixpanelSettings, url: URL, dependencies: ExportClientDependencies, signal: AbortSignal): Promise<OpenedExport> {
  const { policy } = dependencies;
  const headers = {
    authorization: `Basic ${Buffer.from(`${settings.username}:${settings.secret}`).toString('base64')}`,
    'accept-encoding': 'gzip',
    accept: 'text/plain',
  };
  let serverRetries = 0;
  let throttles = 0;
  for (;;) {
    await dependencies.limiter.acquire(signal);
    let response;
    try {
      response = await dependencies.get(url, headers, signal);
    } catch (error) {
      signal.throwIfAborted();
      if (serverRetries >= policy.maxServerRetries) throw unreachable(settings, url, error);
      await dependencies.sleep(backoffDelay(serverRetries++, policy.baseDelayMs, policy.maxDelayMs, dependencies.random), signal);
      continue;
    }
    const { status } = response;
    if (status === 200) return { body: response.body, gzip: /\bgzip\b/i.test(String(response.headers['content-encoding'] ?? '')) };
    const vendorMessage = await readErrorText(response.body);
    if (status === 429) {
      if (throttles >= policy.maxThrottleWaits) throw throttled(settings, url, throttles, vendorMessage);
      const hinted = retryAfterMs(response.headers['retry-after'], dependencies.now());
      await dependencies.sleep(hinted ?? backoffDelay(throttles, policy.baseDelayMs, policy.maxThrottleDelayMs, dependencies.random), signal);
      throttles++;
      continue;
    }
    if (status >= 500) {
      if (serverRetries >= policy.maxServerRetries) throw serverFailed(settings, url, status, serverRetries, vendorMessage);
      await dependencies.sleep(backoffDelay(serverRetries++, policy.baseDelayMs, policy.maxDelayMs, dependencies.random), signal);
      continue;
    }
    throw refused(settings, url, status, vendorMessage);
  }
}

function where(settings: MixpanelSettings, url: URL): string {
  return `source "${settings.sourceId}": Mixpanel export of project ${settings.projectId} (GET ${url.origin}${url.pathname}, ${url.searchParams.get('from_date')})`;
}

function refused(settings: MixpanelSettings, url: URL, status: number, vendorMessage: string): ConnectorError {
  const said = vendorMessage === '' ? '' : `: "${vendorMessage}"`;
  if (status === 401) {
    return new ConnectorError('config', 'mixpanel.unauthorized',
      `${where(settings, url)} was refused with 401${said}. Check service_account.username and secret (a service account, not a project token).`, { connector: MIXPANEL_SOURCE });
  }
  if (status === 403) {
    return new ConnectorError('config', 'mixpanel.forbidden',
      `${where(settings, url)} was refused with 403${said}. Give the service account access to project ${settings.projectId} (Consumer role or higher), and check project_id and region.`, { connector: MIXPANEL_SOURCE });
  }
  return new ConnectorError('config', 'mixpanel.request_refused', `${where(settings, url)} was refused with ${status}${said}.`, { connector: MIXPANEL_SOURCE });
}

function throttled(settings: MixpanelSettings, url: URL, waits: number, vendorMessage: string): ConnectorError {
  return new ConnectorError('retryable', 'mixpanel.rate_limited',
    `${where(settings, url)} is still rate limited (429) after ${waits} waits${vendorMessage ? ` ("${vendorMessage}")` : ''}: another client may be using the project's 60 exports/hour. Run again later: it resumes at the first day not committed.`,
    { connector: MIXPANEL_SOURCE, throttled: true });
}

function serverFailed(settings: MixpanelSettings, url: URL, status: number, retries: number, vendorMessage: string): ConnectorError {
  return new ConnectorError('retryable', 'mixpanel.server_error',
    `${where(settings, url)} failed with ${status} after ${retries} retries${vendorMessage ? ` ("${vendorMessage}")` : ''}. Run again later.`, { connector: MIXPANEL_SOURCE });
}

function unreachable(settings: MixpanelSettings, url: URL, cause: unknown): ConnectorError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ConnectorError('retryable', 'mixpanel.unreachable',
    `${where(settings, url)} could not connect (${reason}). Check the network, region and base_url.`, { connector: MIXPANEL_SOURCE, cause });
}
