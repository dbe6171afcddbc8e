import type { ConnectorError } from '../../../core/errors/connector-error.js';
import type { SinkContext } from '../../../core/sync/sink.js';
import type { WebhookRequest } from './webhook-body.js';
import { errorForAnswer, errorForNoAnswer, withoutQuery } from './webhook-errors.js';
import type { ResolvedWebhookConfig } from './webhook-sink-config.js';
import { signingHeaders } from './webhook-signature.js';

/**
 * One signed POST through the account queue, with its own timeout. The
 * signature is computed inside the queued call, so the timestamp is when the
 * request leaves, not when it was queued (a long throttle would otherwise
 * make it look like a replay to the receiver).
 */
export type PostOutcome = { delivered: true } | { delivered: false; error: ConnectorError };

/** Error bodies are read up to this much; the message keeps a masked 200. */
const MAX_ERROR_BODY_CHARS = 8_192;

export async function postSigned(
  request: WebhookRequest,
  config: Pick<ResolvedWebhookConfig, 'url' | 'secret' | 'headers' | 'timeoutMs'>,
  context: SinkContext,
  fetchImpl: typeof fetch,
): Promise<PostOutcome> {
  const endpoint = withoutQuery(config.url);
  return context.request(`POST ${endpoint}`, async (): Promise<PostOutcome> => {
    const nowMs = context.now();
    const facts = { endpoint, actions: request.items, nowMs };
    const timeout = AbortSignal.timeout(config.timeoutMs);
    try {
      const response = await fetchImpl(config.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.any([context.signal, timeout]),
        headers: {
          ...config.headers,
          'Content-Type': 'application/json',
          'User-Agent': 'segflow-webhook/1',
          'Idempotency-Key': request.idempotencyKey,
          ...signingHeaders(config.secret, nowMs, request.rawBody),
        },
        body: request.rawBody,
      });
      if (response.status >= 200 && response.status < 300) {
        // Drain the body so the keep-alive socket can be reused.
        await response.arrayBuffer();
        return { delivered: true };
      }
      const body = (await response.text()).slice(0, MAX_ERROR_BODY_CHARS);
      return { delivered: false, error: errorForAnswer({ status: response.status, headers: lowerCaseHeaders(response.headers), body }, facts) };
    } catch (error) {
      return { delivered: false, error: errorForNoAnswer(error, { ...facts, timeoutMs: config.timeoutMs, timedOut: timeout.aborted }) };
    }
  });
}

function lowerCaseHeaders(headers: Headers): Record<string, string> {
  const result: Record<string, string> = {};
  headers.forEach((value, name) => {
    result[name.toLowerCase()] = value;
  });
  return result;
}
