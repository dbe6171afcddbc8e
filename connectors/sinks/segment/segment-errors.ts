import { z } from 'zod';
import { ConnectorError } from '../../../core/errors/connector-error.js';

/**
 * Segment's answers mapped to the taxonomy, in one place (vendor-facts.md
 * §6.3). The Tracking API is terse: 200 for everything it takes in (events
 * it then drops show only in the Debugger), 400 for a payload over 32 KB /
 * 500 KB or invalid JSON, 401 for a bad write key, 429 when the workspace
 * goes over its request rate, 5xx when it is down.
 */
const CONNECTOR = 'sink:segment';

/** Error bodies carry a `message` when they carry anything; parsed leniently at the boundary. */
const ErrorBody = z.looseObject({ message: z.string().optional(), code: z.string().optional() });

export interface ResponseFacts {
  status: number;
  statusText: string;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string>>;
  body: string;
}

/** Where the failing call went, for the message. */
export interface CallFacts {
  url: string;
  events: number;
}

export function errorForResponse(response: ResponseFacts, call: CallFacts): ConnectorError {
  const { status } = response;
  const said = vendorMessage(response);
  const where = `POST ${call.url} (${call.events} identify call${call.events === 1 ? '' : 's'})`;
  if (status === 401 || status === 403) {
    return new ConnectorError('config', 'segment.unauthorized', `Segment refused the write key (HTTP ${status}${said}) on ${where}: check write_key, the Write Key of the source segflow writes to, and that host is the source's region.`, {
      connector: CONNECTOR,
    });
  }
  if (status === 429) {
    const wait = retryAfterMs(response.headers);
    return new ConnectorError('retryable', 'segment.rate_limited', `Segment rate-limited the workspace (HTTP 429${said}) on ${where}; ${wait === undefined ? 'it did not say how long to wait' : `it asks to wait ${Math.ceil(wait / 1_000)} s`}.`, {
      connector: CONNECTOR,
      throttled: true,
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    });
  }
  if (status === 400 || status === 413) {
    return new ConnectorError('permanent', 'segment.batch_rejected', `Segment rejected the request as too large or malformed (HTTP ${status}${said}) on ${where}; no record of it was stored. Each event must stay under 32 KB and each request under 500 KB.`, {
      connector: CONNECTOR,
    });
  }
  if (status === 404 || status === 405) {
    return new ConnectorError('config', 'segment.wrong_host', `${call.url} is not a Segment Tracking API (HTTP ${status}${said}): check host (https://api.segment.io, or https://events.eu1.segmentapis.com for EU workspaces).`, {
      connector: CONNECTOR,
    });
  }
  if (status === 408 || status >= 500) {
    const wait = retryAfterMs(response.headers);
    return new ConnectorError('retryable', 'segment.unavailable', `Segment did not take the request (HTTP ${status}${said}) on ${where}; it will be retried.`, {
      connector: CONNECTOR,
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    });
  }
  return new ConnectorError('permanent', 'segment.unexpected_status', `Segment answered HTTP ${status}${said} on ${where}; the calls were not accepted.`, { connector: CONNECTOR });
}

/** The socket failed, or the request timed out, before Segment answered: nothing is known to be stored, so retry. */
export function errorForNetwork(error: unknown, call: CallFacts): ConnectorError {
  const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
  const detail = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
  return new ConnectorError('retryable', timedOut ? 'segment.timeout' : 'segment.network', `POST ${call.url} (${call.events} identify calls) ${timedOut ? 'timed out' : `failed: ${detail}`}; it will be retried.`, {
    connector: CONNECTOR,
    cause: error,
  });
}

/**
 * A failure the SDK decided on its own, without an answer from our HTTP
 * client (its own size guard, a flush timeout). Its size guard is the only
 * permanent one; anything else may pass on a retry.
 */
export function errorForDeliveryFailure(reason: unknown): ConnectorError {
  if (reason instanceof ConnectorError) return reason;
  const message = reason instanceof Error ? reason.message : String(reason);
  if (/maximum event size/i.test(message)) {
    return new ConnectorError('permanent', 'segment.event_too_large', `The Segment SDK refused the event: ${message}.`, { connector: CONNECTOR, cause: reason });
  }
  return new ConnectorError('retryable', 'segment.delivery_failed', `The Segment SDK did not deliver the event: ${message}; it will be retried.`, { connector: CONNECTOR, cause: reason });
}

/** `Retry-After` in seconds (what Segment sends); `X-RateLimit-Reset` the same, as a fallback. */
export function retryAfterMs(headers: Readonly<Record<string, string>>): number | undefined {
  for (const name of ['retry-after', 'x-ratelimit-reset']) {
    const raw = headers[name];
    if (raw === undefined || !/^\d+(\.\d+)?$/.test(raw.trim())) continue;
    return Math.round(Number(raw) * 1_000);
  }
  return undefined;
}

function vendorMessage(response: ResponseFacts): string {
  let message: string | undefined;
  try {
    message = ErrorBody.parse(JSON.parse(response.body)).message;
  } catch {
    message = response.body.trim() || undefined;
  }
  message ??= response.statusText || undefined;
  return message ? `: ${message.slice(0, 200)}` : '';
}
