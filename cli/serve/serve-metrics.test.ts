import { describe, expect, it } from 'vitest';
import { createServeMetrics } from './serve-metrics.js';

describe('serve metrics', () => {
  const sources = (loaded: number) => ({
    loader: () => ({ loaded, quarantined: 0, duplicates: 1, loads: 2, lastError: null }),
    backlogBytes: () => new Map([['web', 123]]),
    now: () => Date.parse('2026-11-21T10:00:00Z'),
  });

  it('keeps one registry per server: two servers in one process do not share series', async () => {
    const first = createServeMetrics(sources(10));
    const second = createServeMetrics(sources(20));
    first.eventsAccepted('web', 3);
    expect(await first.registry.metrics()).toMatch(/^segflow_events_accepted_total\{source="web"\} 3$/m);
    expect(await second.registry.metrics()).not.toMatch(/segflow_events_accepted_total\{/);
    expect(await second.registry.metrics()).toMatch(/^segflow_loaded_events_total 20$/m);
  });

  it("reads the loader's totals and the journal backlog at scrape time", async () => {
    let loaded = 5;
    const metrics = createServeMetrics({ ...sources(0), loader: () => ({ loaded, quarantined: 0, duplicates: 0, loads: 1, lastError: null }) });
    expect(await metrics.registry.metrics()).toMatch(/^segflow_loaded_events_total 5$/m);
    loaded = 8;
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^segflow_loaded_events_total 8$/m);
    expect(text).toMatch(/^segflow_journal_backlog_bytes\{journal="web"\} 123$/m);
  });

  it('counts skipped runs without a duration or a last-run time', async () => {
    const metrics = createServeMetrics(sources(0));
    metrics.scheduledRun({ jobId: 'hourly', slot: 0, result: 'skipped_overlap', durationMs: 0 });
    metrics.scheduledRun({ jobId: 'hourly', slot: 0, result: 'failed', durationMs: 2500 });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^segflow_scheduled_runs_total\{job="hourly",result="skipped_overlap"\} 1$/m);
    expect(text).toMatch(/^segflow_scheduled_run_duration_seconds_count\{job="hourly"\} 1$/m);
    expect(text).toMatch(/^segflow_scheduled_last_run_timestamp_seconds\{job="hourly"\} 1795255200$/m);
    expect(text).not.toMatch(/^segflow_scheduled_last_success_timestamp_seconds\{/m);
  });
});
