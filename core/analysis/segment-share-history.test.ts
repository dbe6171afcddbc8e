import { describe, expect, it } from 'vitest';
import { monitorSegmentKpis } from './drift/index.js';
import { segmentShareSeries } from './segment-share-history.js';

const run = (profiles: number, sizes: Record<string, number>) => ({ profiles, segments: Object.entries(sizes).map(([id, size]) => ({ id, size })) });

describe('segment shares across runs', () => {
  it('builds one series per segment from stored summaries and the current run, skipping summaries without segments', () => {
    const series = segmentShareSeries([run(100, { a: 50, b: 50 }), { error: 'failed run' }, run(200, { a: 60, b: 120, c: 20 })], run(100, { a: 40, c: 10 }));
    expect(series).toEqual({ a: [0.5, 0.3, 0.4], b: [0.5, 0.6, 0], c: [0.1, 0.1] });
  });

  it('a segment that suddenly grows is charted as an alarm after a stable baseline; a stable one is not', () => {
    const history = Array.from({ length: 12 }, (_, index) => run(1_000, { steady: 300 + (index % 3) * 5, growing: 200 + (index % 2) * 4 }));
    const series = segmentShareSeries(history, run(1_000, { steady: 305, growing: 320 }));
    const statuses = monitorSegmentKpis(series, { baselineRuns: 10 });
    const byId = Object.fromEntries(statuses.map((status) => [status.segment, status]));
    expect(byId.growing).toMatchObject({ status: 'monitored', alarm: true });
    expect(byId.steady).toMatchObject({ status: 'monitored', alarm: false });
  });
});
