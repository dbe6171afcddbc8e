import type { SinkContext } from '../../../core/sync/sink.js';

/** A SinkContext without pacing (tests run the simulator at a high tier); it records every request label. */
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
