import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingContext } from '../../../core/sync/recording-context.test-support.js';
import type { Sink } from '../../../core/sync/sink.js';
import { createSegmentSink } from './segment-sink.js';
import { startSegmentSimulator, type RunningSegmentSimulator } from './simulator/segment-simulator.js';

/** `identify`: the write key names the source; only its fingerprint leaves the sink. */
const running: RunningSegmentSimulator[] = [];
const sinks: Sink[] = [];
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((sink) => sink.close?.() ?? Promise.resolve()));
  await Promise.all(running.splice(0).map((simulator) => simulator.stop()));
});

async function start(seed: number, writeKey?: string): Promise<RunningSegmentSimulator> {
  const simulator = await startSegmentSimulator({ seed, ...(writeKey ? { writeKey } : {}) });
  running.push(simulator);
  return simulator;
}

function sinkFor(config: Record<string, unknown>): Sink {
  const sink = createSegmentSink(config);
  sinks.push(sink);
  return sink;
}

describe('Segment sink identify', () => {
  it('names the source by host and write-key fingerprint, makes no call, and never holds the key', async () => {
    const simulator = await start(51);
    const context = recordingContext();
    const identity = await sinkFor(simulator.sinkConfig).identify?.(context);
    const fingerprint = createHash('sha256').update(simulator.writeKey).digest('hex').slice(0, 12);
    expect(identity).toBe(`segment:${new URL(simulator.url).host}:source-${fingerprint}`);
    expect(await sinkFor(simulator.sinkConfig).identify?.(context)).toBe(identity);
    expect(identity).not.toContain(simulator.writeKey);
    expect(context.labels).toEqual([]);
    expect(simulator.view.stats().requests).toBe(0);
  });

  it('tells sources apart: another write key, or another host', async () => {
    const [one, two] = await Promise.all([start(1, 'write-key-one'), start(2, 'write-key-two')]);
    const identify = (config: Record<string, unknown>) => sinkFor(config).identify?.(recordingContext());
    const first = await identify(one.sinkConfig);
    const otherKey = await identify({ ...one.sinkConfig, write_key: two.writeKey });
    const otherHost = await identify({ ...two.sinkConfig, write_key: one.writeKey });
    expect(new Set([first, otherKey, otherHost]).size).toBe(3);
    expect(await identify({ type: 'segment', write_key: 'abc' })).toMatch(/^segment:api\.segment\.io:source-[0-9a-f]{12}$/);
  });
});
