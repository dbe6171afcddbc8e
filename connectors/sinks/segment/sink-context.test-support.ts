import type { SinkContext } from '../../../core/sync/sink.js';

/** A SinkContext without pacing that records the label of every request the sink makes. */
export function recordingContext(now: () => number = Date.now): SinkContext & { labels: string[] } {
  const labels: string[] = [];
  return {
    labels,
    request: (label, call) => {
      labels.push(label);
      return call();
    },
    signal: new AbortController().signal,
    now,
  };
}
