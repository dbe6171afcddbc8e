import type { HTTPClient, HTTPClientRequest, HTTPResponse } from '@segment/analytics-node';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { SinkContext } from '../../../core/sync/sink.js';
import { errorForNetwork, errorForResponse, type CallFacts } from './segment-errors.js';

/**
 * The `httpClient` given to `@segment/analytics-node`: every request the
 * SDK makes goes through `context.request('segment.batch', …)`, the
 * account's rate-limited queue, so segflow paces Segment calls once.
 *
 * Why a non-2xx answer is *thrown* instead of returned: the SDK's publisher
 * sleeps internally on a 429 that carries Retry-After, whatever
 * `maxRetries` says (the wait "does not count toward maxRetries"), and it
 * keeps that rate-limit state for every later batch of the instance. Bounding
 * it with `maxRateLimitDuration` would make it fail fast, but with the
 * reason "Rate limit duration exceeded" and without the Retry-After value,
 * and a concurrent batch can be dropped by the cleared state without being
 * sent. A thrown error is treated as a network failure: with `maxRetries: 0`
 * the publisher fails the batch at once and hands our ConnectorError, with
 * its kind, `throttled` and `retryAfterMs`, to every event as the failure
 * reason. The SDK never sees a 429, so it never sleeps; the executor's
 * retry policy and the account queue's pause do the waiting.
 */
export interface RoutedCall {
  /** The context of the `apply` that owns the events now being sent. */
  context: SinkContext;
  /** Events in the request, for messages. */
  events: number;
}

export function createRoutedHttpClient(currentCall: () => RoutedCall | undefined, fetchImpl: typeof fetch = globalThis.fetch): HTTPClient {
  return {
    async makeRequest(request: HTTPClientRequest): Promise<HTTPResponse> {
      const call = currentCall();
      if (!call) {
        // Only a flush outside `apply` (the SDK's interval timer) could get here; segflow always flushes inside apply.
        throw new ConnectorError('retryable', 'segment.no_context', 'The Segment SDK tried to send outside a sync batch; the events will be sent again with the next batch.', { connector: 'sink:segment' });
      }
      const facts: CallFacts = { url: request.url, events: call.events };
      return call.context.request('segment.batch', async () => {
        // The timeout starts when the queue lets the call go, not while it waits its turn.
        const signal = AbortSignal.any([call.context.signal, AbortSignal.timeout(request.httpRequestTimeout)]);
        let response: Response;
        let body: string;
        try {
          response = await fetchImpl(request.url, { method: request.method, headers: request.headers, body: request.body, signal });
          body = await response.text();
        } catch (error) {
          if (call.context.signal.aborted) {
            throw new ConnectorError('retryable', 'segment.interrupted', 'The sync was interrupted before Segment answered; these identify calls are sent again on the next run.', { connector: 'sink:segment', cause: error });
          }
          throw errorForNetwork(error, facts);
        }
        if (response.status < 200 || response.status > 299) {
          throw errorForResponse({ status: response.status, statusText: response.statusText, headers: Object.fromEntries(response.headers), body }, facts);
        }
        return { status: response.status, statusText: response.statusText, headers: response.headers, text: () => Promise.resolve(body) };
      });
    },
  };
}
