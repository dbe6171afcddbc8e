import PQueue from 'p-queue';
import type { SinkContext } from './sink.js';

/**
 * A SinkContext for sink tests: no pacing (the simulators run at a high tier
 * in tests), every request label recorded. With `concurrency`, calls go
 * through one capped queue, as the executor's account queue would send them.
 */
export function recordingContext(now: () => number = Date.now, options: { concurrency?: number } = {}): SinkContext & { labels: string[] } {
  const labels: string[] = [];
  const queue = options.concurrency === undefined ? undefined : new PQueue({ concurrency: options.concurrency });
  return {
    labels,
    request: (label, call) => {
      labels.push(label);
      return queue ? queue.add(call) : call();
    },
    signal: new AbortController().signal,
    now,
  };
}
