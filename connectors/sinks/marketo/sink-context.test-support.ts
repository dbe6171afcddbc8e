import type { SinkContext } from '../../../core/sync/sink.js';

/** A SinkContext without pacing (the simulator runs at a high tier in tests); it records the request labels. */
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
