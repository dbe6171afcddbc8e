import PQueue from 'p-queue';
import type { SinkContext } from '../../../core/sync/sink.js';

/** A SinkContext like the executor's: one queue with a concurrency cap, and a log of call labels. */
export function createTestContext(options: { concurrency?: number; now?: () => number } = {}): SinkContext & { labels: string[] } {
  const queue = new PQueue({ concurrency: options.concurrency ?? 10 });
  const labels: string[] = [];
  return {
    labels,
    request: (label, call) => {
      labels.push(label);
      return queue.add(call);
    },
    signal: new AbortController().signal,
    now: options.now ?? Date.now,
  };
}
