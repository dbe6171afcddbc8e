import { Analytics } from '@segment/analytics-node';
import { ConnectorError } from '../../../core/errors/connector-error.js';
import type { SinkContext } from '../../../core/sync/sink.js';
import type { IdentifyMessage } from './identify-messages.js';
import { createRoutedHttpClient, type RoutedCall } from './routed-http-client.js';
import { errorForDeliveryFailure } from './segment-errors.js';

/**
 * Sends groups of identify calls with the real `@segment/analytics-node`
 * client and reports one outcome per call.
 *
 * One `Analytics` instance serves one `apply` at a time; concurrent applies
 * borrow other instances from a small pool (it grows to the executor's
 * parallelism and is reused). Sharing one instance would mix the events of
 * concurrent batches into one SDK batch (a 400 caused by one would fail the
 * other), and v3's `flush()` returns at once, with a warning, when another
 * flush is running, so an apply could not wait for its own events.
 *
 * Outcomes come from the instance's `identify` / `error` events rather than
 * per-call callbacks: the SDK delays every callback to at least 300 ms
 * after the call (`getDelay` in analytics-core, "weird legacy behavior"),
 * which would put a 300 ms floor under every batch; the events fire as
 * soon as the request is answered.
 */
export type DeliveryOutcome = { delivered: true } | { delivered: false; error: ConnectorError };

export interface SdkDeliveryOptions {
  writeKey: string;
  host: string;
  /** Events per SDK batch: the sink's maxBatch, so one group is one request. */
  flushAt: number;
  httpRequestTimeoutMs: number;
  fetch?: typeof fetch;
}

export interface SdkDelivery {
  /** Sends the messages (sized by the caller to fit one request) and returns one outcome per message, in order. */
  deliver(messages: readonly IdentifyMessage[], context: SinkContext): Promise<DeliveryOutcome[]>;
  /** Waits for sends in progress, then `closeAndFlush` on every instance. */
  close(): Promise<void>;
}

interface PooledClient {
  analytics: Analytics;
  call: RoutedCall | undefined;
  settle: ((messageId: string | undefined, outcome: DeliveryOutcome) => void) | undefined;
}

export function createSdkDelivery(options: SdkDeliveryOptions): SdkDelivery {
  const idle: PooledClient[] = [];
  const everyClient: PooledClient[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  function createClient(): PooledClient {
    const client: PooledClient = { analytics: undefined as unknown as Analytics, call: undefined, settle: undefined };
    client.analytics = new Analytics({
      writeKey: options.writeKey,
      host: options.host,
      flushAt: options.flushAt,
      // The executor retries (with the account queue's pause on throttling); the SDK must not.
      maxRetries: 0,
      httpRequestTimeout: options.httpRequestTimeoutMs,
      httpClient: createRoutedHttpClient(() => client.call, options.fetch),
    });
    client.analytics.on('identify', (context) => client.settle?.(context.event.messageId, { delivered: true }));
    client.analytics.on('error', (failure) => {
      if (failure.ctx) client.settle?.(failure.ctx.event.messageId, { delivered: false, error: errorForDeliveryFailure(failure.reason) });
    });
    everyClient.push(client);
    return client;
  }

  async function send(client: PooledClient, messages: readonly IdentifyMessage[], context: SinkContext): Promise<DeliveryOutcome[]> {
    const outcomes = new Map<string, DeliveryOutcome>();
    client.call = { context, events: messages.length };
    client.settle = (messageId, outcome) => {
      if (messageId !== undefined) outcomes.set(messageId, outcome);
    };
    try {
      for (const message of messages) client.analytics.identify(message);
      // Sends the partial SDK batch now instead of after flushInterval, and resolves once every event has an outcome.
      await client.analytics.flush();
    } finally {
      client.call = undefined;
      client.settle = undefined;
      idle.push(client);
    }
    return messages.map(
      (message) =>
        outcomes.get(message.messageId) ?? {
          delivered: false,
          error: new ConnectorError('retryable', 'segment.no_outcome', 'The Segment SDK finished without reporting this event; it will be sent again.', { connector: 'sink:segment' }),
        },
    );
  }

  return {
    async deliver(messages, context) {
      if (closed) throw new Error('segment sink: deliver() after close(); this is a bug in the caller');
      if (messages.length === 0) return [];
      const client = idle.pop() ?? createClient();
      const sending = send(client, messages, context);
      inFlight.add(sending);
      try {
        return await sending;
      } finally {
        inFlight.delete(sending);
      }
    },
    async close() {
      closed = true;
      await Promise.allSettled([...inFlight]);
      await Promise.all(everyClient.map((client) => client.analytics.closeAndFlush()));
    },
  };
}
